import { describe, expect, it } from 'vitest';
import { resolveIntrinsics, type ResolutionContext } from './resolve-intrinsics.js';

const context: ResolutionContext = {
  accountId: '123456789012',
  region: 'eu-west-1',
  resources: {
    GroupsTable: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'udagram-ci-groups' } },
    ApiLogGroup: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/aws/lambda/udagram-ci-api' } },
    ImagesBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::Sub': 'images-${AWS::AccountId}' } } },
    HttpApi: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'ci-udagram' } },
    ApiLambdaFunction: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'udagram-ci-api' } },
    ApiLiveAlias: {
      Type: 'AWS::Lambda::Alias',
      Properties: { FunctionName: { Ref: 'ApiLambdaFunction' }, Name: 'live' },
    },
  },
};

describe('resolveIntrinsics', () => {
  it('gives a Lambda alias’s Ref as the function’s ARN qualified by the alias', () => {
    expect(resolveIntrinsics({ Ref: 'ApiLiveAlias' }, context)).toBe(
      'arn:aws:lambda:eu-west-1:123456789012:function:udagram-ci-api:live',
    );
  });

  it('turns a table’s Arn attribute and an index path built with Fn::Join into ARNs', () => {
    const resolved = resolveIntrinsics(
      [
        { 'Fn::GetAtt': ['GroupsTable', 'Arn'] },
        { 'Fn::Join': ['/', [{ 'Fn::GetAtt': ['GroupsTable', 'Arn'] }, 'index', 'byTimestamp']] },
      ],
      context,
    );

    expect(resolved).toEqual([
      'arn:aws:dynamodb:eu-west-1:123456789012:table/udagram-ci-groups',
      'arn:aws:dynamodb:eu-west-1:123456789012:table/udagram-ci-groups/index/byTimestamp',
    ]);
  });

  it('substitutes pseudo parameters and attributes in Fn::Sub, and resolves names that are themselves intrinsic', () => {
    const resolved = resolveIntrinsics(
      [
        { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::images-${AWS::AccountId}/images/*' },
        { 'Fn::GetAtt': ['ImagesBucket', 'Arn'] },
      ],
      context,
    );

    expect(resolved).toEqual(['arn:aws:s3:::images-123456789012/images/*', 'arn:aws:s3:::images-123456789012']);
  });

  it('gives a log group’s Arn with the `:*` that CloudFormation returns', () => {
    expect(resolveIntrinsics({ 'Fn::GetAtt': ['ApiLogGroup', 'Arn'] }, context)).toBe(
      'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/udagram-ci-api:*',
    );
  });

  it('leaves what it cannot resolve visible instead of guessing', () => {
    const resolved = resolveIntrinsics(
      { Resource: [{ Ref: 'HttpApi' }, { 'Fn::GetAtt': ['HttpApi', 'ApiEndpoint'] }] },
      context,
    );

    expect(resolved).toEqual({ Resource: ['<Ref HttpApi>', '<HttpApi.ApiEndpoint>'] });
  });

  it('splits a resolved list', () => {
    expect(resolveIntrinsics({ 'Fn::Split': [',', 'https://a.example,https://b.example'] }, context)).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });
});
