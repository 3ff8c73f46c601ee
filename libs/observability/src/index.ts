// Observability for every function: structured logs, the correlation id, metrics and traces (Powertools for AWS Lambda).
export {};
