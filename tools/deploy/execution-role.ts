/** A value CloudFormation resolves: a literal or an intrinsic function such as `{ 'Fn::Sub': … }`. */
export type CloudFormationValue = string | { [intrinsic: string]: unknown };

/** An IAM statement as this stack writes them: allow, exact actions, exact resources (never `*`). */
export interface AllowStatement {
  Effect: 'Allow';
  Action: string[];
  Resource: CloudFormationValue[];
}

export function allow(actions: string[], resources: CloudFormationValue[]): AllowStatement {
  return { Effect: 'Allow', Action: actions, Resource: resources };
}

/** osls names a function's log group `<Function>LogGroup`, the name's first letter capitalised. */
export function logGroupLogicalId(functionName: string): string {
  return `${capitalised(functionName)}LogGroup`;
}

export function roleLogicalId(functionName: string): string {
  return `${capitalised(functionName)}ExecutionRole`;
}

function capitalised(functionName: string): string {
  // osls spells `-` and `_` out in logical ids (`DashN`…); plain camelCase names keep these helpers that simple.
  if (!/^[a-z][a-zA-Z0-9]*$/.test(functionName)) throw new Error(`Function names are camelCase here: ${functionName}`);
  return `${functionName.charAt(0).toUpperCase()}${functionName.slice(1)}`;
}

/**
 * The execution role of one function: it may write to its own log group (which osls creates, with retention)
 * and do exactly what `statements` allow. No managed policy: AWSLambdaBasicExecutionRole allows every log group.
 */
export function executionRole(functionName: string, statements: readonly AllowStatement[]) {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'lambda.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      },
      Policies: [
        {
          PolicyName: `${functionName}-function`,
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              allow(
                ['logs:CreateLogStream', 'logs:PutLogEvents'],
                [{ 'Fn::GetAtt': [logGroupLogicalId(functionName), 'Arn'] }],
              ),
              ...statements,
            ],
          },
        },
      ],
    },
  };
}
