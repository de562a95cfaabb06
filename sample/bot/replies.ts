// Every text the bot sends, in one place: the handlers and the tests read them from here.

export const REPLIES = {
  greeting: (name: string | undefined) =>
    `Hi ${name ?? 'there'}! 👋 I'm the sample bot. Type *menu* to see what I can do, or send me a photo or your location.`,
  help: [
    '*Commands*',
    '• *menu*: buttons',
    '• *plans*: a list to pick from',
    '• *group*: a WhatsApp group for you and your friends',
    '• *book*: book an appointment (a WhatsApp Flow)',
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
  groupCreating: (subject: string) =>
    `Creating *${subject}*… I'll send you the invite link in a moment.`,
  groupReady: (subject: string, link: string) =>
    `Your group *${subject}* is ready. Share this link to invite people: ${link}`,
  groupFailed: 'Sorry, the group could not be created.',
  groupNeedsPhone: 'Groups need a phone number to send the invite link to.',
  groupWelcome: (count: number) =>
    count === 1 ? 'Welcome to the group! 👋' : `Welcome, all ${count} of you! 👋`,
  groupEcho: (name: string | undefined, body: string) => `${name ?? 'Someone'} said: ${body}`,
  callClosed:
    "Sorry we missed your call: we're open Monday to Friday, 9:00 to 18:00 (UTC). We'll call you back.",
  bookingInvite: 'Book your next visit in a few taps.',
  booked: (date: string) => `✅ Booked for ${date}. See you then!`,
} as const;
