// MQTT topic filters as used in a rule's FROM clause: '+' matches one level, '#' the rest (and the
// parent level: 'dt/#' matches 'dt'). Filters that start with a wildcard never match '$' topics
// (MQTT 3.1.1 §4.7.2), which is why '#' does not see $aws/... reserved topics.
import * as E from 'fp-ts/lib/Either.js';

export const validateTopicFilter = (filter: string): E.Either<string, string> => {
  if (filter.length === 0) return E.left("topic filter is empty: give one such as 'dt/+/+/+/telemetry'");
  const levels = filter.split('/');
  for (const [index, level] of levels.entries()) {
    if (level.includes('#') && (level !== '#' || index !== levels.length - 1)) {
      return E.left(`topic filter '${filter}': '#' must be a whole level and the last one`);
    }
    if (level.includes('+') && level !== '+') {
      return E.left(`topic filter '${filter}': '+' must be a whole level`);
    }
  }
  return E.right(filter);
};

/** Whether a topic name matches a filter already checked by validateTopicFilter. */
export const topicMatches = (filter: string, topic: string): boolean => {
  const f = filter.split('/');
  const t = topic.split('/');
  if (topic.startsWith('$') && (f[0] === '+' || f[0] === '#')) return false;
  for (let i = 0; i < f.length; i += 1) {
    const level = f[i];
    if (level === '#') return true;
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
};
