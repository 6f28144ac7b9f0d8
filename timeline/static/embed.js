/* The embeddable timeline: TimelineJS over the data the page carries.
 *
 * The page holds its timeline and TimelineJS's options as JSON data blocks (never run as
 * script); this file, served by the app, is the page's only script besides TimelineJS, so
 * that the Content-Security-Policy can forbid every inline script. */
(function () {
  "use strict";
  function read(id) {
    var holder = document.getElementById(id);
    return holder ? JSON.parse(holder.textContent) : null;
  }
  var data = read("timeline-data");
  var options = read("timeline-options");
  if (data && data.events && data.events.length && window.TL) {
    window.timelineEmbed = new window.TL.Timeline("timeline-embed", data, options);
  }
})();
