// The example picker. A pick with the mouse runs at once; moving through the options with the keyboard (arrows,
// Page/Home/End, type-ahead) fires a change per option passed, so there the pick only takes effect on Enter or
// when focus leaves the picker, and a hint says so. Otherwise every option passed would start a run.
const NAV_KEY = /^(Arrow(Up|Down|Left|Right)|Page(Up|Down)|Home|End)$/;

export function bindPicker(select, { hint, onPick }) {
  let keyNav = false;
  let pending = null;
  const setHint = (text) => { hint.textContent = text; hint.hidden = !text; };
  const commit = () => {
    if (pending == null) return;
    const name = pending;
    pending = null;
    setHint('');
    onPick(name);
  };
  select.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      if (pending != null) { e.preventDefault(); commit(); }
      return;
    }
    if (NAV_KEY.test(e.key) || (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey)) keyNav = true;
  });
  select.addEventListener('change', () => {
    if (keyNav) {
      keyNav = false;
      pending = select.value;
      setHint('Enter runs it');
      return;
    }
    pending = null;
    setHint('');
    onPick(select.value);
  });
  select.addEventListener('pointerdown', () => { keyNav = false; });
  select.addEventListener('blur', commit);
}
