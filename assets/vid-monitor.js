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
