// Cost of matching messages to their sender's contact in one change with many contacts: a signed
// body may carry 20 000 messages and 50 000 contacts (ISSUE10 §5). Bounded: a few runs, no loop on time.
//   npm run build && node bench/extract-contacts.mjs [messages] [contacts]
const { extractUpdates } = await import(
  process.env.EXTRACT_UPDATES_MODULE ?? '../dist/webhook/2-parse/extract-updates.js'
);

const messages = Number(process.argv[2] ?? 20_000);
const contacts = Number(process.argv[3] ?? 50_000);
const runs = Number(process.env.RUNS ?? 3);

// Senders are the last contacts (the worst case of a scan); one message in ten has no contact.
const body = {
  object: 'whatsapp_business_account',
  entry: [
    {
      id: 'WABA',
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550001111', phone_number_id: 'PNID' },
            contacts: Array.from({ length: contacts }, (_, i) => ({
              profile: { name: `n${i}` },
              wa_id: String(10_000_000_000 + i),
            })),
            messages: Array.from({ length: messages }, (_, i) => ({
              from: String(
                10_000_000_000 + (i % 10 === 9 ? contacts + i : contacts - 1 - (i % contacts)),
              ),
              id: `wamid.${i}`,
              timestamp: '1',
              type: 'text',
              text: { body: 'hi' },
            })),
          },
        },
      ],
    },
  ],
};

const times = [];
for (let r = 0; r < runs; r++) {
  const start = process.hrtime.bigint();
  const result = extractUpdates(body);
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
  if (!result.ok || result.updates.length !== messages) throw new Error('unexpected result');
}
console.log(
  `extractUpdates, ${messages} messages x ${contacts} contacts: ${times.map((t) => `${t.toFixed(1)} ms`).join(', ')}`,
);
