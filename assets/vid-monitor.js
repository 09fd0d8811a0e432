// Gives the file input inside the upload area an accessible name: dcc.Upload renders it without
// one (axe: "Form elements must have labels"). Runs on every page; does nothing where there is none.
(function () {
    "use strict";
    var LABEL = "Choose a file to upload: CSV, XLSX or JSON";
    function nameUploadInputs() {
        var inputs = document.querySelectorAll("#upload-file input[type=file]:not([aria-label])");
        for (var i = 0; i < inputs.length; i++) {
            inputs[i].setAttribute("aria-label", LABEL);
        }
    }
    new MutationObserver(nameUploadInputs).observe(document.documentElement, {childList: true, subtree: true});
    document.addEventListener("DOMContentLoaded", nameUploadInputs);
})();

// Takes the charts' toolbar buttons (Plotly's modebar, shown only while the pointer is over a chart)
// out of the Tab order: invisible stops, six per chart. Every action they offer is also a button
// under the chart (the CSV download) or a pointer gesture; the chart's summary says what it shows.
(function () {
    "use strict";
    function untabModebars() {
        var buttons = document.querySelectorAll(".modebar-btn:not([tabindex='-1'])");
        for (var i = 0; i < buttons.length; i++) {
            buttons[i].setAttribute("tabindex", "-1");
        }
    }
    new MutationObserver(untabModebars).observe(document.documentElement, {childList: true, subtree: true});
    document.addEventListener("DOMContentLoaded", untabModebars);
})();
