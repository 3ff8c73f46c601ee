/**
 * The emulators' fixed local account: s3rver knows only the access key `S3RVER` (secret `S3RVER`), and DynamoDB
 * Local accepts any key. These never reach AWS; the API gets them through the environment like any credentials.
 */
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCESS_KEY_ID = 'S3RVER';
export const LOCAL_SECRET_ACCESS_KEY = 'S3RVER';

export const localCredentials = { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY };
