// The API reference (/api/redoc/) loads nothing from outside this site. Redoc's bundle shows Redocly's logo from
// their CDN in its sidebar footer, whatever its options, and hides the logo when the image fails: the address is
// turned into an empty one before the browser asks for it, so the image fails here and no request leaves.
(() => {
  "use strict";
  const REMOTE = /^(https?:)?\/\/cdn\.redoc\.ly\//;
  const EMPTY = "data:,";
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (this instanceof HTMLImageElement && String(name).toLowerCase() === "src" && REMOTE.test(String(value))) {
      value = EMPTY;
    }
    return setAttribute.call(this, name, value);
  };
  const src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    ...src,
    set(value) {
      src.set.call(this, REMOTE.test(String(value)) ? EMPTY : value);
    },
  });
})();
