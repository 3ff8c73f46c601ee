// The emulator is one fixed account in one region; ARNs only have to look like Lambda's.
const REGION = 'us-east-1';
const ACCOUNT_ID = '000000000000';

export function functionArn(functionName: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${functionName}`;
}

/**
 * The function name in an Invoke path parameter: `name`, `name:qualifier`, `account:function:name[:qualifier]` or a
 * full ARN. Qualifiers are ignored: every function has only `$LATEST`.
 */
export function functionNameOf(identifier: string): string {
  const afterFunction = /(?:^|:)function:([^:]+)/.exec(identifier);
  return afterFunction ? afterFunction[1] : identifier.split(':')[0];
}
