// Every text the bot sends, in one place: the handlers and the tests read them from here.

export const REPLIES = {
  greeting: (name: string | undefined) =>
    `Hi ${name ?? 'there'}! 👋 I'm the sample bot. Type *menu* to see what I can do, or send me a photo or your location.`,
  help: [
    '*Commands*',
    '• *menu*: buttons',
    '• *plans*: a list to pick from',
    '• *help*: this message',
    'Send a photo and I will tell you its size and type; share a location and I will read it back. Anything else, I echo.',
  ].join('\n'),
  echo: (body: string) => `You said: ${body}`,
  hours: "We're open Monday to Friday, 9:00 to 18:00.",
  planChosen: (title: string) =>
    `Great choice: *${title}*. Someone from our team will be in touch.`,
  image: (bytes: number, mimeType: string) => `Got your image: ${bytes} bytes, ${mimeType}.`,
  location: (latitude: number, longitude: number, name?: string) =>
    `📍 Got your location${name ? ` (${name})` : ''}: ${latitude}, ${longitude}.`,
  unsupported: 'I can read text, photos and locations for now. Type *help* to see what I can do.',
} as const;
