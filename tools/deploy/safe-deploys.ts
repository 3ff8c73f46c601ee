/**
 * Canary deploys with automatic rollback (docs/DEPLOY.md), written as CloudFormation rather than through
 * serverless-plugin-canary-deployments: that plugin declares a peer dependency on `serverless`, which npm would
 * install (v4, which cannot run here and takes over `node_modules/.bin/serverless`) beside osls.
 *
 * Each function gets a published version per deploy (`<Function>LiveVersion`, replaced when its code or settings
 * change), an alias `live` that every event source, integration and caller uses, and a CodeDeploy deployment group
 * that moves the alias to the new version: 10% of traffic for 5 minutes, then all of it, after the pre-traffic hook
 * passed, and back at once when one of the group's alarms fires.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { CloudFormationValue } from './execution-role.js';

export const LIVE_ALIAS = 'live';
/** CodeDeploy's predefined Lambda canary: 10% for 5 minutes, then 100%. */
export const DEPLOYMENT_CONFIG = 'CodeDeployDefault.LambdaCanary10Percent5Minutes';

const capitalised = (name: string) => `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
export const functionLogicalId = (name: string) => `${capitalised(name)}LambdaFunction`;
export const versionLogicalId = (name: string) => `${capitalised(name)}LiveVersion`;
export const aliasLogicalId = (name: string) => `${capitalised(name)}LiveAlias`;
export const deploymentGroupLogicalId = (name: string) => `${capitalised(name)}DeploymentGroup`;

/** The `live` alias's ARN (a Ref to the alias, so whatever uses it waits for the alias to exist). */
export const liveAliasArn = (name: string) => ({ Ref: aliasLogicalId(name) });

export const codeDeployApplicationName = (stage: string) => `udagram-${stage}`;
export const deploymentGroupName = (stage: string, name: string) => `udagram-${stage}-${name}`;

/** The ARN of a deployment group, for the hook's PutLifecycleEventHookExecutionStatus. */
export const deploymentGroupArn = (stage: string, name: string) => ({
  'Fn::Sub': `arn:\${AWS::Partition}:codedeploy:\${AWS::Region}:\${AWS::AccountId}:deploymentgroup:${codeDeployApplicationName(stage)}/${deploymentGroupName(stage, name)}`,
});

export interface SafelyDeployedFunction {
  name: string;
  /**
   * What makes a new version: a Version's properties cannot change in place, so a new description replaces it
   * (CloudFormation publishes a new version) exactly when the code or the function's settings changed.
   */
  versionDescription: CloudFormationValue;
  /** The alarms (logical ids) that roll this function's deployment back. At most 10 (CodeDeploy's limit). */
  rollbackAlarmIds: string[];
}

/** A description that changes with the deployment package's bytes and the function's definition. */
export function codeAndSettingsDescription(artifactPath: string | undefined, definition: unknown): string {
  const hash = createHash('sha256');
  if (artifactPath !== undefined) hash.update(existsSync(artifactPath) ? readFileSync(artifactPath) : 'not built');
  hash.update(JSON.stringify(definition));
  return `code and settings ${hash.digest('hex').slice(0, 32)}`;
}

export function safeDeployResources(stage: string, functions: SafelyDeployedFunction[], hookFunctionName: string) {
  const resources: Record<string, unknown> = {
    CodeDeployApplication: {
      Type: 'AWS::CodeDeploy::Application',
      Properties: { ApplicationName: codeDeployApplicationName(stage), ComputePlatform: 'Lambda' },
    },
    CodeDeployServiceRole: codeDeployServiceRole(
      functions.map(({ name }) => name),
      hookFunctionName,
    ),
  };
  for (const { name, versionDescription, rollbackAlarmIds } of functions) {
    if (rollbackAlarmIds.length > 10)
      throw new Error(`${name}: CodeDeploy watches at most 10 alarms per deployment group`);
    resources[versionLogicalId(name)] = {
      Type: 'AWS::Lambda::Version',
      // The version the alias moves away from stays: a rollback (or a later one by hand) points the alias back at it.
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: { FunctionName: { Ref: functionLogicalId(name) }, Description: versionDescription },
    };
    resources[aliasLogicalId(name)] = {
      Type: 'AWS::Lambda::Alias',
      // The hook runs this deploy's code: its function is updated before any alias moves.
      DependsOn: [functionLogicalId(hookFunctionName)],
      Properties: {
        FunctionName: { Ref: functionLogicalId(name) },
        FunctionVersion: { 'Fn::GetAtt': [versionLogicalId(name), 'Version'] },
        Name: LIVE_ALIAS,
      },
      // CloudFormation hands the alias's move to CodeDeploy, which shifts the traffic and reports back.
      UpdatePolicy: {
        CodeDeployLambdaAliasUpdate: {
          ApplicationName: { Ref: 'CodeDeployApplication' },
          DeploymentGroupName: { Ref: deploymentGroupLogicalId(name) },
          BeforeAllowTrafficHook: { Ref: functionLogicalId(hookFunctionName) },
        },
      },
    };
    resources[deploymentGroupLogicalId(name)] = {
      Type: 'AWS::CodeDeploy::DeploymentGroup',
      Properties: {
        ApplicationName: { Ref: 'CodeDeployApplication' },
        DeploymentGroupName: deploymentGroupName(stage, name),
        ServiceRoleArn: { 'Fn::GetAtt': ['CodeDeployServiceRole', 'Arn'] },
        DeploymentConfigName: DEPLOYMENT_CONFIG,
        DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
        AutoRollbackConfiguration: { Enabled: true, Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] },
        AlarmConfiguration: { Enabled: true, Alarms: rollbackAlarmIds.map((alarmId) => ({ Name: { Ref: alarmId } })) },
      },
    };
  }
  return resources;
}

/**
 * What CodeDeploy does for Lambda (the managed AWSCodeDeployRoleForLambdaLimited, narrowed to this stack): read and
 * move the aliases, invoke the hook, read the alarms. DescribeAlarms has no resource-level permissions in IAM, so
 * it is the one `*` of the stack.
 */
function codeDeployServiceRole(functionNames: string[], hookFunctionName: string) {
  const functionArn = (name: string) => ({ 'Fn::GetAtt': [functionLogicalId(name), 'Arn'] });
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      },
      Policies: [
        {
          PolicyName: 'codedeploy-lambda-canary',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: ['lambda:GetAlias', 'lambda:UpdateAlias', 'lambda:GetProvisionedConcurrencyConfig'],
                Resource: functionNames.map((name) => ({ 'Fn::Join': [':', [functionArn(name), LIVE_ALIAS]] })),
              },
              { Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: [functionArn(hookFunctionName)] },
              { Effect: 'Allow', Action: ['cloudwatch:DescribeAlarms'], Resource: ['*'] },
            ],
          },
        },
      ],
    },
  };
}

/**
 * osls's own resources rewired to the `live` alias (merged into them by `resources.extensions`): the HTTP API's and
 * the WebSocket API's integrations and invoke permissions, and the three event source mappings. Logical ids as osls
 * names them; the template tests fail if one stops matching.
 */
export function eventSourcesOnAliases() {
  const invokeUri = (name: string) => ({
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':apigateway:',
        { Ref: 'AWS::Region' },
        ':lambda:path/2015-03-31/functions/',
        liveAliasArn(name),
        '/invocations',
      ],
    ],
  });
  return {
    HttpApiIntegrationApi: { Properties: { IntegrationUri: liveAliasArn('api') } },
    ApiLambdaPermissionHttpApi: { Properties: { FunctionName: liveAliasArn('api') } },
    WebsocketWebsocketsIntegration: { Properties: { IntegrationUri: invokeUri('websocket') } },
    WebsocketLambdaPermissionWebsockets: { Properties: { FunctionName: liveAliasArn('websocket') } },
    ClassificationWorkerEventSourceMappingSQSClassificationQueue: {
      Properties: { FunctionName: liveAliasArn('classificationWorker') },
    },
    ThumbnailWorkerEventSourceMappingSQSThumbnailQueue: {
      Properties: { FunctionName: liveAliasArn('thumbnailWorker') },
    },
    NotifierEventSourceMappingDynamodbImagesTable: { Properties: { FunctionName: liveAliasArn('notifier') } },
  };
}
