import { ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';

/**
 * Custom class-validator constraints for the management DTOs. Their messages do not start with the
 * property name: `validateDto` puts the full path in `WhatsAppValidationError.field` instead.
 */

function upper(value: unknown): string | undefined {
  return typeof value === 'string' ? value.toUpperCase() : undefined;
}

/** Whether `object[property]` equals one of `values`, ignoring case (Meta accepts `body` and `BODY`). */
export function typeIs(object: object, values: readonly string[], property = 'type'): boolean {
  const value = upper((object as Record<string, unknown>)[property]);
  return value !== undefined && values.includes(value);
}

/** One of `values`, case-insensitively: Meta's own examples use both `"header"` and `"HEADER"`. */
export function IsInIgnoringCase(
  values: readonly string[],
  options?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isInIgnoringCase',
      constraints: [values],
      validator: {
        validate: (value: unknown) => {
          const v = upper(value);
          return v !== undefined && values.includes(v);
        },
        defaultMessage: () => `must be one of ${values.join(', ')}`,
      },
    },
    options,
  );
}

/** A non-empty string or a non-empty array of non-empty strings (Graph's `fields` parameter). */
export function IsFieldList(options?: ValidationOptions): PropertyDecorator {
  const isName = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '';
  return ValidateBy(
    {
      name: 'isFieldList',
      validator: {
        validate: (value: unknown) =>
          isName(value) || (Array.isArray(value) && value.length > 0 && value.every(isName)),
        defaultMessage: () => 'must be a non-empty string or array of non-empty strings',
      },
    },
    options,
  );
}

/** `[["a", "b"]]`: Meta's `body_text` example (one row of sample values, one per `{{n}}`). */
export function IsStringMatrix(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isStringMatrix',
      validator: {
        validate: (value: unknown) =>
          Array.isArray(value) &&
          value.length > 0 &&
          value.every(
            (row) =>
              Array.isArray(row) && row.length > 0 && row.every((v) => typeof v === 'string'),
          ),
        defaultMessage: () => 'must be a non-empty array of non-empty arrays of strings',
      },
    },
    options,
  );
}

/**
 * At least one of `properties` is present. Put it on a property the input never has: it runs on
 * `undefined` (no `@IsOptional`), and `context.root` makes `validateDto` name the input itself.
 */
export function AtLeastOneOf(
  properties: readonly string[],
  options?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name: 'atLeastOneOf',
      constraints: [properties],
      validator: {
        validate: (_value: unknown, args?: ValidationArguments) =>
          args !== undefined &&
          properties.some((p) => (args.object as Record<string, unknown>)[p] !== undefined),
        defaultMessage: () => `give ${properties.map((p) => `"${p}"`).join(', ')} (at least one)`,
      },
    },
    { ...options, context: { root: true } },
  );
}
