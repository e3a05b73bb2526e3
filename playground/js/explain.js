// The example's explanation is written for its default run. When the executor settings differ from the defaults
// (a restored link with budget 4, a knob changed by hand), this says so, and says what changes, from the
// example's `variants` in examples/index.json (keyed by knob: the text for a run where that knob is changed).
import { KNOB_DEFAULTS } from './state-url.js';

const KNOB_LABEL = { clock: 'clock', budget: 'budget', slice: 'time slice (ms)', cap: 'trace capacity' };

export function changedKnobs(knobs) {
  return Object.keys(KNOB_LABEL).filter((k) => knobs[k] != null && knobs[k] !== KNOB_DEFAULTS[k]);
}

// Text for the note under the explanation, or '' for a default run.
export function variantNote(info, knobs) {
  const changed = changedKnobs(knobs);
  if (!changed.length) return '';
  const list = changed.map((k) => `${KNOB_LABEL[k]} ${knobs[k]} (default ${KNOB_DEFAULTS[k]})`).join(', ');
  const more = changed.map((k) => info?.variants?.[k]).filter(Boolean).join(' ');
  return `This run changes the executor settings: ${list}. ${more || 'The explanation above describes a run with the defaults.'}`;
}
