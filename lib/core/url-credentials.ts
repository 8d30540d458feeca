// Credentials never travel in a URL here: a URL with user info (`https://user:pw@host`) is
// refused by the configuration, and any text that shows a URL shows it without them, so
// that no message, log line or template ever holds a password.

const userInfo = /\b([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/gi;

/** True when the text holds a URL with user info. */
export function hasUserInfo(text: string): boolean {
  userInfo.lastIndex = 0;
  return userInfo.test(text);
}

/** The text with the user info of every URL in it left out: `https://user:pw@host/x` → `https://host/x`. */
export function withoutUserInfo(text: string): string {
  return text.replace(userInfo, "$1");
}
