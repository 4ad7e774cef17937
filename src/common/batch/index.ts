// Batch ingestion shared by every record… mutation: the engine, its GraphQL types and the rule violation.
export * from './batch.types';
export * from './batch.engine';
export * from './rule-violation';
