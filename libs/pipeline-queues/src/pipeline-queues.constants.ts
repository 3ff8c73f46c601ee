export const SQS_CLIENT = Symbol('SQS_CLIENT');
