// Turns a User-Agent string into a device description with bowser (MIT). Any string is accepted:
// empty or unparseable agents become "Unknown browser", never an exception.
import Bowser from 'bowser';

type DeviceType = 'desktop' | 'mobile' | 'tablet' | 'tv' | 'bot' | 'unknown';

export type DeviceDescription = { browser: string; os: string; type: DeviceType; label: string };

const TYPES: DeviceType[] = ['desktop', 'mobile', 'tablet', 'tv', 'bot'];

function major(version: string | undefined) {
  return version?.split('.')[0];
}

export function describeUserAgent(userAgent: string): DeviceDescription {
  let parsed: Bowser.Parser.ParsedResult | undefined;
  try {
    parsed = userAgent.trim() ? Bowser.parse(userAgent) : undefined;
  } catch {
    parsed = undefined;
  }
  const browserName = parsed?.browser.name;
  const browser = browserName ? [browserName, major(parsed?.browser.version)].filter(Boolean).join(' ') : 'Unknown browser';
  const osName = parsed?.os.name;
  const osVersion = parsed?.os.versionName ?? major(parsed?.os.version);
  const os = osName ? [osName, osVersion].filter(Boolean).join(' ') : 'Unknown OS';
  const rawType = parsed?.platform.type as DeviceType | undefined;
  const type = rawType && TYPES.includes(rawType) ? rawType : 'unknown';
  return { browser, os, type, label: `${browser} on ${os}` };
}
