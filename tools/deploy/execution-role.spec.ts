import { describe, expect, it } from 'vitest';
import { allow, executionRole, logGroupLogicalId, roleLogicalId } from './execution-role.js';

describe('executionRole', () => {
  it('lets Lambda assume it and allows the function’s own log group plus exactly the given statements', () => {
    const statement = allow(['dynamodb:GetItem'], [{ 'Fn::GetAtt': ['GroupsTable', 'Arn'] }]);

    const role = executionRole('api', [statement]);

    expect(role.Type).toBe('AWS::IAM::Role');
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
    expect(role.Properties.Policies).toHaveLength(1);
    expect(role.Properties.Policies[0].PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [{ 'Fn::GetAtt': ['ApiLogGroup', 'Arn'] }],
      },
      statement,
    ]);
    expect(role.Properties).not.toHaveProperty('ManagedPolicyArns');
  });

  it('names the role and the log group the way osls names a function’s resources', () => {
    expect(roleLogicalId('uploadProcessor')).toBe('UploadProcessorExecutionRole');
    expect(logGroupLogicalId('uploadProcessor')).toBe('UploadProcessorLogGroup');
  });

  it('refuses a function name that osls would spell differently in logical ids', () => {
    expect(() => roleLogicalId('upload-processor')).toThrow(/camelCase/);
  });
});
