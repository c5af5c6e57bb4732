// Renders a connector's config JSON Schema (ui-contract/schemas/config-schema.json says what it
// may contain) as form fields, and reads the form back into a config object. Secret fields
// ("writeOnly": true, "x-secret": true) are password inputs; after saving they only ever read
// {"secret": "set"}.
import { h } from "./dom.js";

export function isSecret(prop) {
  return prop?.["x-secret"] === true || prop?.writeOnly === true;
}

/** Form fields for the schema's top-level properties, ids prefixed with `prefix`. */
export function schemaFields(schema, prefix = "config") {
  const required = new Set(schema?.required ?? []);
  return Object.entries(schema?.properties ?? {}).map(([name, prop]) => field(prefix, name, prop, required.has(name)));
}

function field(prefix, name, prop, required) {
  const id = `${prefix}-${name}`;
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const common = { id, name, "aria-describedby": `${helpId} ${errorId}`, "data-field": name };
  if (required) { common.required = true; common["aria-required"] = "true"; }
  let input;
  if (Array.isArray(prop.enum)) {
    input = h("select", common,
      required ? null : h("option", { value: "" }, "(not set)"),
      prop.enum.map((v) => h("option", { value: String(v), selected: prop.default === v }, String(v))));
  } else if (prop.type === "boolean") {
    input = h("input", { ...common, type: "checkbox", checked: prop.default === true });
  } else if (prop.type === "integer" || prop.type === "number") {
    input = h("input", { ...common, type: "number", step: prop.type === "integer" ? "1" : "any",
      min: prop.minimum, max: prop.maximum, placeholder: prop.default !== undefined ? String(prop.default) : undefined });
  } else {
    input = h("input", { ...common, type: isSecret(prop) ? "password" : "text", autocomplete: isSecret(prop) ? "new-password" : "off",
      spellcheck: "false", minlength: prop.minLength, maxlength: prop.maxLength,
      placeholder: prop.format === "uuid" ? "00000000-0000-0000-0000-000000000000" : (prop.default !== undefined ? String(prop.default) : undefined) });
  }
  const clearError = () => { // an error shown for the old value goes once the value changes
    input.removeAttribute("aria-invalid");
    const p = input.parentElement?.querySelector(".error");
    if (p) p.textContent = "";
  };
  input.addEventListener("input", clearError);
  input.addEventListener("change", clearError); // also when a value is cleared or pasted without typing
  const help = [prop.description ?? "", isSecret(prop) ? " Secret: stored encrypted, never shown again." : "",
    prop.default !== undefined && !Array.isArray(prop.enum) ? ` Default: ${prop.default}.` : ""].join("").trim();
  return h("div", { class: "field" },
    h("label", { for: id }, prop.title ?? name, required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null),
    input,
    h("p", { id: helpId, class: "hint" }, help),
    h("p", { id: errorId, class: "error", "aria-live": "polite" }));
}

/** The config the form describes: empty optional fields are left out, numbers are numbers. */
export function readConfig(form, schema) {
  const config = {};
  for (const [name, prop] of Object.entries(schema?.properties ?? {})) {
    const el = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
    if (!el) continue;
    if (prop.type === "boolean") { config[name] = el.checked; continue; }
    const v = el.value.trim();
    if (v === "") continue;
    config[name] = prop.type === "integer" || prop.type === "number" ? Number(v) : v;
  }
  return config;
}

/** Shows a 422's errors next to their fields (pointer /config/<field> or /<field>); returns the ones without a field. */
export function showErrors(form, errors, prefixes = ["/config/", "/"]) {
  form.querySelectorAll(".field .error").forEach((p) => { p.textContent = ""; });
  form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  const rest = [];
  let first = null;
  for (const e of errors ?? []) {
    const pointer = e.pointer ?? "";
    const prefix = prefixes.find((p) => pointer.startsWith(p));
    const name = prefix ? pointer.slice(prefix.length).split("/")[0] : null;
    const el = name ? form.querySelector(`[data-field="${CSS.escape(name)}"]`) : null;
    if (!el) { rest.push(e); continue; }
    el.setAttribute("aria-invalid", "true");
    const p = form.querySelector(`#${CSS.escape(el.id)}-error`);
    if (p) p.textContent = e.message;
    first ??= el;
  }
  first?.focus();
  return rest;
}
