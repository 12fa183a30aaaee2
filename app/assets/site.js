// Cairn's page script (plain JS, no WASM): the theme toggle, highlighting the words a
// search led here with (`?highlight=`), and live reload when the server watches content.
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
  }

  function setUpToggle() {
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

  // Marks the searched words in the page text, like mdBook's ?highlight=.
  function highlightSearchTerms() {
    var param = new URLSearchParams(window.location.search).get('highlight');
    if (!param) return;
    var words = param.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length > 1; }).slice(0, 16);
    if (!words.length) return;
    var escaped = words.map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); });
    var pattern = new RegExp('(^|[^\\p{L}\\p{N}])(' + escaped.join('|') + ')[\\p{L}\\p{N}]*', 'giu');
    var containers = document.querySelectorAll('.prose, .pattern-header');
    var marked = 0;
    containers.forEach(function (container) {
      var walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT, {
        acceptNode: function (node) {
          var parent = node.parentElement;
          if (!parent || parent.closest('pre, code, svg, mark, script, style')) return NodeFilter.FILTER_REJECT;
          return NodeFilter.FILTER_ACCEPT;
        }
      });
      var nodes = [];
      while (walker.nextNode()) nodes.push(walker.currentNode);
      nodes.forEach(function (node) {
        var text = node.nodeValue;
        pattern.lastIndex = 0;
        if (!pattern.test(text)) return;
        pattern.lastIndex = 0;
        var fragment = document.createDocumentFragment();
        var last = 0;
        var match;
        while ((match = pattern.exec(text)) !== null) {
          var start = match.index + match[1].length;
          var end = match.index + match[0].length;
          fragment.appendChild(document.createTextNode(text.slice(last, start)));
          var mark = document.createElement('mark');
          mark.className = 'search-highlight';
          mark.textContent = text.slice(start, end);
          fragment.appendChild(mark);
          marked += 1;
          last = end;
        }
        fragment.appendChild(document.createTextNode(text.slice(last)));
        node.parentNode.replaceChild(fragment, node);
      });
    });
    return marked;
  }

  // With --watch, the server announces every content reload; the page refreshes itself
  // when the count moves past the one it first heard (a reconnect after a restart too).
  function followContentChanges() {
    var url = root.dataset.liveReload;
    if (!url || !window.EventSource) return;
    var seen = null;
    var source = new EventSource(url);
    source.addEventListener('content', function (event) {
      if (seen === null) {
        seen = event.data;
        root.dataset.liveReloadFollowing = 'true';
      } else if (event.data !== seen) {
        source.close();
        window.location.reload();
      }
    });
    window.addEventListener('pagehide', function () { source.close(); });
  }

  function ready() {
    setUpToggle();
    highlightSearchTerms();
    followContentChanges();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', ready);
  } else {
    ready();
  }
})();
