/* The discussion scripts' words, loaded before them: the thread's template writes them,
   translated, as JSON in #discussion-messages (discussion/script_messages.py); each script
   passes its English as the fallback. window.NewsdeskWords.t("key", "English %(name)s",
   {name: ...}) and .tn("key", n, "English one", "English other", values), the form for n
   (0, 1, others). */
window.NewsdeskWords = (function () {
  "use strict";

  var MESSAGES = null;
  function words() {
    if (MESSAGES === null) {
      var block = document.getElementById("discussion-messages");
      try { MESSAGES = block ? JSON.parse(block.textContent) || {} : {}; } catch (error) {
        MESSAGES = {};
      }
    }
    return MESSAGES;
  }
  function fill(text, values) {
    return String(text).replace(/%\((\w+)\)s/g, function (all, name) {
      return values && name in values ? String(values[name]) : all;
    });
  }
  /* t("key", "English %(name)s", {name: ...}) */
  function t(key, fallback, values) {
    var text = words()[key];
    return fill(typeof text === "string" ? text : fallback, values);
  }
  /* tn("key", n, "English one", "English other", values): the form for n (0, 1, others). */
  function tn(key, count, one, other, values) {
    var forms = words()[key];
    var form = forms && typeof forms === "object" ?
      forms[count === 0 ? "0" : count === 1 ? "1" : "n"] : null;
    var text = typeof form === "string" ? form : (count === 1 ? one : other);
    return fill(text, Object.assign({ count: count }, values || {}));
  }

  return { t: t, tn: tn };
})();
