/* The donate form's fee option: shows the fee for the amount chosen, and the total.

   The same formula as the server's (funding/fees.py): the charge is (gift + fixed) /
   (1 - percent/100), rounded up to the currency's smallest unit, and the fee is the charge
   less the gift. Exact integer arithmetic (BigInt) so the page never shows a cent the server
   would not charge. The server computes the fee again: this only informs the reader.
   Without this script the page says the formula in words. */
(function () {
  "use strict";

  var SCALE = 6; // decimals kept when reading the formula's figures

  function scaled(text, places) {
    // "12.5" -> 12500000n with places = 6; null for anything that is not a plain number.
    var clean = String(text || "").trim().replace(/[,\s]/g, "");
    if (!/^\d+(\.\d+)?$/.test(clean)) return null;
    var parts = clean.split(".");
    var decimals = (parts[1] || "").slice(0, places);
    while (decimals.length < places) decimals += "0";
    return BigInt(parts[0] + decimals);
  }

  function feeMinor(giftText, box) {
    var digits = parseInt(box.dataset.feeDigits, 10) || 0;
    var gift = scaled(giftText, SCALE);
    var fixed = scaled(box.dataset.feeFixed, SCALE);
    var percent = scaled(box.dataset.feePercent, SCALE);
    if (gift === null || gift <= 0n || fixed === null || percent === null) return null;
    var hundred = 100n * 10n ** BigInt(SCALE);
    if (percent >= hundred) return null;
    var minorFactor = 10n ** BigInt(digits);
    var unit = 10n ** BigInt(SCALE);
    // charge in minor units, rounded up: (gift + fixed) * 100 / (100 - percent)
    var numerator = (gift + fixed) * hundred * minorFactor;
    var denominator = (hundred - percent) * unit;
    var charge = (numerator + denominator - 1n) / denominator;
    var giftMinor = (gift * minorFactor + unit - 1n) / unit;
    var fee = charge - giftMinor;
    return { fee: fee > 0n ? fee : 0n, gift: giftMinor, digits: digits };
  }

  function format(minor, digits, currency) {
    var value = Number(minor) / Math.pow(10, digits);
    var lang = document.documentElement.lang || "en";
    try {
      return new Intl.NumberFormat(lang, {
        style: "currency",
        currency: currency,
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }).format(value);
    } catch (error) {
      return value.toFixed(digits) + " " + currency;
    }
  }

  function chosenAmount(form) {
    var custom = form.querySelector('[name="custom_amount"]');
    if (custom && custom.value.trim()) return custom.value;
    var radio = form.querySelector('[name="amount"]:checked');
    return radio ? radio.value : "";
  }

  // The words come from the page, in the reader's language (English when absent).
  function words(box, name, fallback) {
    return box.dataset[name] || fallback;
  }

  function update(form, box) {
    var currency = box.dataset.currency;
    var result = feeMinor(chosenAmount(form), box);
    var amount = box.querySelector("[data-fee-amount]");
    var total = box.querySelector("[data-fee-total]");
    var tick = form.querySelector('[name="cover_fees"]');
    if (!result) {
      amount.textContent = words(box, "feeWords", "the card fees");
      total.hidden = true;
      return;
    }
    amount.textContent = format(result.fee, result.digits, currency);
    var charged = tick && tick.checked ? result.gift + result.fee : result.gift;
    total.textContent = words(box, "totalWords", "Total charged: {amount}").replace(
      "{amount}",
      format(charged, result.digits, currency)
    );
    total.hidden = false;
  }

  function start() {
    var box = document.querySelector('[data-part="fees"]');
    if (!box) return;
    var form = box.closest("form");
    var formula = box.querySelector("[data-fee-formula]");
    if (formula) formula.hidden = true; // the figures shown say it; the words are for no-script
    form.addEventListener("input", function () { update(form, box); });
    form.addEventListener("change", function () { update(form, box); });
    update(form, box);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
