// The words people read for the service's codes (and postcodes as people write them), in one
// place for the console and the app
// (served at /app/words.js and /console/words.js): kinds of help, request states, why nobody fits, the steps of a request,
// concerns. Never show a code itself.

export const CATEGORIES = {
  shopping: "Shopping",
  gardening: "Gardening",
  diy: "Odd jobs and DIY",
  cleaning: "Cleaning",
  it_help: "Phones and computers",
  companionship: "Company and a chat",
  transport: "A lift",
  paperwork: "Letters and forms",
  other: "Something else",
};

// The kind of help in words, to follow "help with": "help with a computer or phone".
export const HELP_WITH = {
  shopping: "the shopping",
  gardening: "the garden",
  diy: "odd jobs around the home",
  cleaning: "cleaning",
  it_help: "a computer or phone",
  companionship: "some company and a chat",
  transport: "a lift",
  paperwork: "letters and forms",
  other: "something else",
};

export const STATUSES = {
  open: "Nobody found yet",
  offered: "Waiting for a helper to say yes",
  assigned: "A helper is going",
  completed: "Done",
  cancelled: "Cancelled",
  expired: "Time ran out",
};

// Why a helper does not fit, as the end of a sentence about one helper and about several:
// "1 helper lives too far away", "7 helpers live too far away".
export const RULES = {
  approved: ["is not approved yet", "are not approved yet"],
  vetting_valid: ["has vetting that runs out by then", "have vetting that runs out by then"],
  has_skill: ["does not do this kind of help", "do not do this kind of help"],
  within_distance: ["lives too far away", "live too far away"],
  not_declined: ["already said no to this one", "already said no to this one"],
  not_blocked: ["is someone the member asked not to have", "are people the member asked not to have"],
  under_weekly_cap: ["already has enough jobs that week", "already have enough jobs that week"],
  available: ["is not free at that time", "are not free at that time"],
};

// One sentence of "why nobody fits": "7 helpers live too far away".
export function whyOne(rule, count) {
  const [one, many] = RULES[rule] || ["does not fit", "do not fit"];
  return count === 1 ? `1 helper ${one}` : `${count} helpers ${many}`;
}

export const EVENTS = {
  asked: "Asked for help",
  offered: "Offered",
  accepted: "Said yes",
  declined: "Said no",
  lapsed: "Did not answer in time",
  withdrawn: "Offer closed (no longer needed from them)",
  address_shown: "Address shown",
  assigned: "Assigned",
  assigned_by_hand: "Assigned by a coordinator",
  confirmed: "The helper confirmed",
  withdrew: "The helper withdrew",
  no_show: "The helper did not come",
  unconfirmed: "Passed on: the helper never confirmed",
  completed: "Done",
  cancelled: "Cancelled",
  expired: "Time ran out",
};

export const CONCERN_KINDS = {
  neglect: "Neglect by others",
  self_neglect: "Not looking after themselves",
  financial: "Money or belongings",
  physical: "Physical harm",
  emotional: "Emotional harm",
  helper_conduct: "A helper's behaviour",
  other: "Something else",
};

// The ways to reach a person (`contact_by`).
export const CHANNELS = {
  app: "The app",
  email: "Email",
  sms: "A text message",
  phone_call: "A phone call",
};

export const CONCERN_STATES = {
  open: "New, not yet picked up",
  investigating: "Being looked into",
  referred: "Passed on",
  closed: "Closed",
};

// "SE15 4QF" however it was typed ("se154qf", " SE15  4QF "), when it looks like a postcode; the
// server has the last word.
export function tidyPostcode(text) {
  const bare = String(text).replace(/\s+/g, "").toUpperCase();
  return bare.length > 3 ? `${bare.slice(0, -3)} ${bare.slice(-3)}` : bare;
}

// The days of a helper's usual week, and the parts of a day they can tick: `[day, words]` and
// `[start, end, words]`, as the service keeps weekly times.
export const DAYS = [
  ["mon", "Monday"],
  ["tue", "Tuesday"],
  ["wed", "Wednesday"],
  ["thu", "Thursday"],
  ["fri", "Friday"],
  ["sat", "Saturday"],
  ["sun", "Sunday"],
];

export const PARTS = [
  ["09:00", "12:00", "Morning"],
  ["12:00", "17:00", "Afternoon"],
  ["17:00", "20:00", "Evening"],
];
