// Cairn's theme toggle: light, dark, or the system's choice, remembered in localStorage.
// Plain script (no WASM): pages without widgets ship no WebAssembly at all.
(function () {
  var root = document.documentElement;
  var KEY = 'cairn-theme';
  var media = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;

  function current() {
    return root.dataset.theme || (media && media.matches ? 'dark' : 'light');
  }

  function show(button) {
    var theme = current();
    button.setAttribute('aria-pressed', theme === 'dark' ? 'true' : 'false');
    button.querySelector('.theme-toggle-label').textContent =
      theme === 'dark' ? 'Light theme' : 'Dark theme';
    button.dataset.current = theme;
  }

  function ready() {
    var button = document.querySelector('[data-test="theme-toggle"]');
    if (!button) return;
    show(button);
    button.addEventListener('click', function () {
      var next = current() === 'dark' ? 'light' : 'dark';
      root.dataset.theme = next;
      try { localStorage.setItem(KEY, next); } catch (e) { /* private mode: theme lasts this page */ }
      show(button);
    });
    if (media && media.addEventListener) {
      media.addEventListener('change', function () { show(button); });
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', ready);
  } else {
    ready();
  }
})();
