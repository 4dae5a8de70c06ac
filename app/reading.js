// Reading the screen: "Read this aloud" speaks the screen's words in the phone's own voice (the
// browser's speech synthesis), and "Text size" makes the words of every screen larger, up to
// double, kept on this phone.

import { h } from "./ui.js";

const KEPT = "neighbourly.textSize";

/** The sizes offered, in per cent of the phone's own, with their names. */
export const SIZES = [
  [100, "Normal"],
  [125, "Larger"],
  [150, "Large"],
  [175, "Very large"],
  [200, "Largest"],
];

function apply(percent) {
  document.documentElement.style.fontSize = `${percent}%`;
}

/** The size kept on this phone, applied at once (before the first screen is drawn). */
export function keptSize() {
  const kept = Number(localStorage.getItem(KEPT));
  const size = SIZES.some(([p]) => p === kept) ? kept : 100;
  apply(size);
  return size;
}

/**
 * The reading tools, put into `bar`: they read `main` aloud, and set the text size.
 * @param {HTMLElement} bar
 * @param {HTMLElement} main
 */
export function setUp(bar, main) {
  const size = h("select", { id: "text-size" }, SIZES.map(([p, name]) => h("option", { value: String(p) }, name)));
  size.value = String(keptSize());
  size.addEventListener("change", () => {
    localStorage.setItem(KEPT, size.value);
    apply(Number(size.value));
  });
  const sizer = h("span", { class: "sizer" }, h("label", { for: "text-size" }, "Text size "), size);
  if (!("speechSynthesis" in window)) {
    bar.replaceChildren(sizer);
    return;
  }
  let reading = false;
  const read = h("button", { type: "button", class: "secondary", id: "read-aloud" }, "Read this aloud");
  const stopped = () => {
    reading = false;
    read.textContent = "Read this aloud";
  };
  read.addEventListener("click", () => {
    if (reading) {
      window.speechSynthesis.cancel();
      stopped();
      return;
    }
    const words = new SpeechSynthesisUtterance(main.innerText);
    words.lang = "en-GB";
    words.rate = 0.9;
    words.onend = stopped;
    words.onerror = stopped;
    reading = true;
    read.textContent = "Stop reading";
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(words);
  });
  // A new screen stops the reading of the last one.
  window.addEventListener("hashchange", () => {
    if (reading) {
      window.speechSynthesis.cancel();
      stopped();
    }
  });
  bar.replaceChildren(read, sizer);
}
