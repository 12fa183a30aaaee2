// Cairn's page script (plain JS, no WASM): the theme toggle, highlighting the words a
// search led here with (`?highlight=`), live reload when the server watches content, and
// starting the WASM islands when they are wanted.
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

  // The islands (the header's instant search, the widgets) are the page's WASM. None is
  // fetched with the page: a widget wakes when it comes near the viewport, the search box
  // when the reader reaches for it (pointer, touch, focus or its shortcut). Until then the
  // server's HTML stands in: the figures are drawn and the search box is a plain form.
  //
  // Islands hydrate one at a time. The one hydrating carries `data-hydrating`, which is how
  // a widget finds its figure's configuration (app/src/islands/config.rs). `data-hydration`
  // says how far an island is: `pending`, then `done`.
  function setUpIslands() {
    var script = root.dataset.islandsScript;
    var wasm = root.dataset.islandsWasm;
    var islands = Array.prototype.slice.call(document.querySelectorAll('leptos-island'));
    if (!script || !wasm || !islands.length) return;

    var runtime = null;
    function loadRuntime() {
      if (!runtime) {
        runtime = import(script).then(function (module) {
          return module.default({ module_or_path: wasm }).then(function () {
            module.hydrate();
            return module;
          });
        });
        // A failed fetch (offline for a moment) is tried again by the next island wanted.
        runtime.catch(function () { runtime = null; });
      }
      return runtime;
    }

    var queue = Promise.resolve();
    function wake(island) {
      if (island.dataset.hydration) return queue;
      island.dataset.hydration = 'pending';
      queue = queue.then(loadRuntime).then(function (module) {
        var start = module[island.dataset.component];
        if (!start) throw new Error('no island named ' + island.dataset.component);
        island.setAttribute('data-hydrating', '');
        return Promise.resolve(start(island)).finally(function () {
          island.removeAttribute('data-hydrating');
        });
      }).then(function () {
        island.dataset.hydration = 'done';
      }, function (error) {
        delete island.dataset.hydration;
        console.error('Cairn: an interactive part of this page did not start', error);
      });
      return queue;
    }

    function wakeSearch(island) {
      var events = ['pointerover', 'touchstart', 'focusin'];
      function wanted() {
        events.forEach(function (name) { island.removeEventListener(name, wanted); });
        wake(island).then(function () {
          document.removeEventListener('keydown', shortcut);
        });
      }
      // The island's own shortcut handler takes over once it has hydrated.
      function shortcut(event) {
        var target = event.target;
        var inField = target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
        var pressed = (event.key === '/' && !inField) ||
          ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k');
        var box = island.querySelector('input[type="search"]');
        if (!pressed || !box) return;
        event.preventDefault();
        box.focus();
        box.select();
      }
      events.forEach(function (name) { island.addEventListener(name, wanted, { passive: true }); });
      document.addEventListener('keydown', shortcut);
      // Typed into before the listeners were there (a fast reader, a restored focus).
      if (island.contains(document.activeElement)) wanted();
    }

    var widgets = [];
    islands.forEach(function (island) {
      if (/^InstantSearch/.test(island.dataset.component || '')) wakeSearch(island);
      else widgets.push(island);
    });
    if (!widgets.length) return;
    // A link into a widget (`#estimate-2`) names an id the widget sets only once it is
    // live, so the browser cannot scroll there: wake them all, and the one named scrolls.
    var target = window.location.hash.slice(1);
    try { target = decodeURIComponent(target); } catch (e) { /* a stray %: keep it as typed */ }
    if (!('IntersectionObserver' in window) || (target && !document.getElementById(target))) {
      widgets.forEach(wake);
      return;
    }
    // Half a screen of warning: the widget is usually live by the time it is in view.
    var watcher = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        watcher.unobserve(entry.target);
        wake(entry.target);
      });
    }, { rootMargin: '50% 0px' });
    widgets.forEach(function (widget) { watcher.observe(widget); });
  }

  function ready() {
    setUpToggle();
    highlightSearchTerms();
    followContentChanges();
    setUpIslands();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', ready);
  } else {
    ready();
  }
})();
