import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { WhatsAppValidationError } from '../../errors/whatsapp-validation.error.js';

/**
 * Validates a management input (template definition, list query) against its class-validator DTO
 * and throws a WhatsAppValidationError for the first problem, named by its full path
 * (`components[1].buttons[0].url`). Only for calls where ≈ 5 µs does not matter: message sends use
 * the plain checks in ../validation (see docs/client.md, "Validation").
 *
 * The input is only checked, never rewritten: callers send the caller's object as given. Unknown
 * fields pass (no whitelist, forbidUnknownValues off): Meta adds fields, and we must not refuse what
 * Meta accepts.
 */
export function validateDto(dto: new () => object, input: unknown, rootField: string): void {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new WhatsAppValidationError(rootField, 'must be an object');
  }
  const instance = plainToInstance(dto, input);
  const errors = validateSync(instance, {
    whitelist: false,
    forbidUnknownValues: false,
    validationError: { target: false, value: true },
  });
  if (errors.length > 0) throw toValidationError(errors[0], '', rootField);
}

function toValidationError(
  error: ValidationError,
  parentPath: string,
  rootField: string,
  parentIsArray = false,
): WhatsAppValidationError {
  const path =
    parentIsArray && /^\d+$/.test(error.property)
      ? `${parentPath}[${error.property}]`
      : parentPath === ''
        ? error.property
        : `${parentPath}.${error.property}`;
  // Constraints are listed bottom decorator first; the top one (e.g. @IsString above @MaxLength)
  // says the most basic thing that is wrong.
  const [name, message] = Object.entries(error.constraints ?? {}).at(-1) ?? [];
  if (name === undefined || message === undefined) {
    // No constraint here: the problem is deeper (ValidateNested). Follow the first child.
    const child = error.children?.[0];
    if (!child) return new WhatsAppValidationError(path || rootField, 'is invalid');
    return toValidationError(child, path, rootField, Array.isArray(error.value));
  }
  if (error.contexts?.[name]?.root === true) return new WhatsAppValidationError(rootField, message);
  return new WhatsAppValidationError(path, reasonOf(name, message, error));
}

/** class-validator's own messages start with the property name, which `field` already carries. */
function reasonOf(name: string, message: string, error: ValidationError): string {
  if (name === 'nestedValidation') return 'must be an object (or an array of objects)';
  const prefix = `${error.property} `;
  if (!message.startsWith(prefix)) return message; // one of ours (./constraints.ts)
  return error.value === undefined ? 'is required' : message.slice(prefix.length);
}
