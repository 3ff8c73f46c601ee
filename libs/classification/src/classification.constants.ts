/** The LambdaClient that invokes the classifier (this module is its only user). */
export const CLASSIFIER_LAMBDA_CLIENT = Symbol('CLASSIFIER_LAMBDA_CLIENT');

/** How ClassifierClient waits between attempts and draws its jitter; tests replace it. */
export const RETRY_TIMING = Symbol('RETRY_TIMING');
