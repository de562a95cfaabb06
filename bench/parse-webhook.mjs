// Cost of turning a parsed webhook body into updates: extractUpdates (hand-written guards) against
// class-transformer + class-validator on the envelope only (what issue 3 first suggested).
//   npm run build && node bench/parse-webhook.mjs
import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import {
  Equals,
  IsArray,
  IsOptional,
  IsString,
  ValidateNested,
  validateSync,
} from 'class-validator';

const { extractUpdates } = await import(
  process.env.EXTRACT_UPDATES_MODULE ?? '../dist/webhook/2-parse/extract-updates.js'
);

// A realistic body: `changes` per entry and `entries`, each change with one text message and a contact.
function body(entries, changesPerEntry) {
  let n = 0;
  return {
    object: 'whatsapp_business_account',
    entry: Array.from({ length: entries }, () => ({
      id: '184736291047562',
      changes: Array.from({ length: changesPerEntry }, () => {
        const i = n++;
        return {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15557771234', phone_number_id: '109283746501928' },
            contacts: [
              { profile: { name: 'Maya Ortiz' }, wa_id: `1202555${String(i).padStart(4, '0')}` },
            ],
            messages: [
              {
                from: `1202555${String(i).padStart(4, '0')}`,
                id: `wamid.HBgLMTIwMjU1NTAxNDcVAgASGBQxQ0IyNTFFQzBENTY4REU2QTkyOQ${i}A=`,
                timestamp: '1767611200',
                text: { body: 'Hi! Do you have the blue one in size M?' },
                type: 'text',
              },
            ],
          },
        };
      }),
    })),
  };
}

// The envelope as DTO classes, decorated by hand (no TypeScript compiler needed for a bench).
const decorate = (cls, prop, ...decorators) => decorators.forEach((d) => d(cls.prototype, prop));
class MessageDto {}
decorate(MessageDto, 'id', IsString());
decorate(MessageDto, 'type', IsString());
class StatusDto {}
decorate(StatusDto, 'id', IsString());
decorate(StatusDto, 'status', IsString());
class ValueDto {}
decorate(
  ValueDto,
  'messages',
  IsOptional(),
  IsArray(),
  ValidateNested({ each: true }),
  Type(() => MessageDto),
);
decorate(
  ValueDto,
  'statuses',
  IsOptional(),
  IsArray(),
  ValidateNested({ each: true }),
  Type(() => StatusDto),
);
class ChangeDto {}
decorate(ChangeDto, 'field', IsString());
decorate(
  ChangeDto,
  'value',
  IsOptional(),
  ValidateNested(),
  Type(() => ValueDto),
);
class EntryDto {}
decorate(EntryDto, 'id', IsString());
decorate(
  EntryDto,
  'changes',
  IsArray(),
  ValidateNested({ each: true }),
  Type(() => ChangeDto),
);
class PayloadDto {}
decorate(PayloadDto, 'object', Equals('whatsapp_business_account'));
decorate(
  PayloadDto,
  'entry',
  IsArray(),
  ValidateNested({ each: true }),
  Type(() => EntryDto),
);

function classValidator(b) {
  const dto = plainToInstance(PayloadDto, b);
  return validateSync(dto, { forbidUnknownValues: false }).length === 0;
}

function time(name, fn, b, updates) {
  const iterations = Math.max(20, Math.round(200_000 / updates));
  for (let i = 0; i < iterations; i++) fn(b); // warm-up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn(b);
  const ns = Number(process.hrtime.bigint() - t0) / iterations / updates;
  return { name, updatesPerBody: updates, nsPerUpdate: Math.round(ns) };
}

const rows = [];
for (const [entries, changes] of [
  [1, 1],
  [10, 100],
]) {
  const b = body(entries, changes);
  const n = entries * changes;
  const check = extractUpdates(b);
  if (!check.ok || check.updates.length !== n) throw new Error('bench body does not parse');
  if (!classValidator(b)) throw new Error('bench body does not validate');
  rows.push(time('extractUpdates', extractUpdates, b, n));
  rows.push(time('class-transformer + class-validator (envelope)', classValidator, b, n));
}
console.log(`node ${process.version}`);
console.table(rows);
