/**
 * The project's error vocabulary. Libraries throw these (never HttpException); the API maps each class to one
 * HTTP status in a single filter, so the mapping lives in one place and libraries stay transport-agnostic.
 */
export abstract class DomainError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The thing asked for does not exist (or is not visible to the caller). */
export class NotFoundError extends DomainError {}

/** The caller is known but may not do this (e.g. not the owner). */
export class ForbiddenError extends DomainError {}

/** No valid credentials were presented. */
export class UnauthenticatedError extends DomainError {}

/** The request is well-formed but conflicts with the current state (e.g. deleting a non-empty group). */
export class ConflictError extends DomainError {}

/** Input that passed DTO validation but is still unusable (e.g. a tampered paging token). */
export class InvalidInputError extends DomainError {}

/** A dependency (database, storage, identity provider, classifier) cannot serve the request right now. */
export class ServiceUnavailableError extends DomainError {}
