// A helper's usual week as boxes to tick: the morning, afternoon and evening of each day. Joining
// and "When you can help" ask it the same way.

import { DAYS, PARTS } from "../shared/words.js";
import { h } from "./ui.js";

/** Weekday mornings and afternoons: where a new helper starts, changed in a tap. */
export const WEEKDAY_DAYTIMES = DAYS.slice(0, 5).flatMap(([day]) =>
  PARTS.slice(0, 2).map(([start, end]) => ({ day, start, end })),
);

/**
 * The week's boxes, ticked where `weekly` covers them, and the times they say.
 * @param {{day: string, start: string, end: string}[]} weekly
 * @param {string} legend
 */
export function weekBoxes(weekly, legend) {
  const has = (day, from, to) => weekly.some((s) => s.day === day && s.start <= from && s.end >= to);
  const boxes = [];
  const fieldset = h(
    "fieldset",
    {},
    h("legend", {}, legend),
    DAYS.map(([day, words]) =>
      h(
        "div",
        { class: "day" },
        h("p", { class: "what" }, words),
        PARTS.map(([from, to, part]) => {
          const box = h("input", { type: "checkbox", "data-day": day, "data-from": from, "data-to": to });
          box.checked = has(day, from, to);
          boxes.push(box);
          return h("label", { class: "check" }, box, ` ${part} on ${words}`);
        }),
      ),
    ),
  );
  /** The ticked parts of the week, as the service keeps them. */
  const chosen = () =>
    boxes.filter((b) => b.checked).map((b) => ({ day: b.dataset.day, start: b.dataset.from, end: b.dataset.to }));
  return { fieldset, chosen };
}
