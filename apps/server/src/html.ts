/**
 * @module
 * Server-rendered HTML: one escaping function for every interpolated value (`html` tagged
 * template; nested `Html` values are not escaped again), one layout with the stylesheet and
 * no inline script (the CSP forbids it), labelled fields.
 */

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] as string);
}

type Value = Html | string | number | null | undefined | false | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0] as string;
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] as string);
  });
  return new Html(out);
}

/** Markup that is already safe (e.g. the registry's QR SVG). */
export function trusted(markup: string): Html {
  return new Html(markup);
}

export interface PageContext {
  title: string;
  csrfToken?: string;
  signedIn?: { name: string; root: boolean; mfaPending?: boolean } | undefined;
  notice?: string | undefined;
  error?: string | undefined;
  scripts?: string[];
}

/** Put `${csrf}` in every form: the page fills in the request's CSRF token. */
export const csrf = new Html('<!--csrf-->');

export function page(context: PageContext, body: Html): string {
  const nav = context.signedIn?.mfaPending
    ? html`<nav aria-label="Main"><form method="post" action="/sign-out" class="inline">${csrfField(context.csrfToken)}<button type="submit">Sign out ${context.signedIn.name}</button></form></nav>`
    : context.signedIn
      ? html`<nav aria-label="Main"><a href="/security">Security credentials</a>${
          context.signedIn.root ? html` <a href="/admin/users">Users</a> <a href="/admin/audit">Audit log</a>` : ''
        }
      <form method="post" action="/sign-out" class="inline">${csrfField(context.csrfToken)}<button type="submit">Sign out ${context.signedIn.name}</button></form></nav>`
      : html`<nav aria-label="Main"><a href="/sign-in">Sign in</a> <a href="/sign-up">Sign up</a></nav>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${context.csrfToken ? html`<meta name="csrf-token" content="${context.csrfToken}">` : ''}
<title>${context.title} · mfakit</title>
<link rel="stylesheet" href="/static/style.css">
${(context.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`)}
</head>
<body>
<header><a class="brand" href="/">mfakit</a>${nav}</header>
<main>
<h1>${context.title}</h1>
${context.notice ? html`<p class="notice" role="status">${context.notice}</p>` : ''}
${context.error ? html`<p class="error" role="alert">${context.error}</p>` : ''}
${new Html(body.value.replaceAll('<!--csrf-->', csrfField(context.csrfToken).value))}
</main>
</body>
</html>
`.value;
}

export function csrfField(token: string | undefined): Html {
  return token === undefined ? html`` : html`<input type="hidden" name="_csrf" value="${token}">`;
}

export function field(
  label: string,
  name: string,
  options: {
    type?: string;
    autocomplete?: string;
    required?: boolean;
    inputmode?: string;
    value?: string;
    hint?: string;
    maxlength?: number;
  } = {},
): Html {
  const id = `field-${name}`;
  return html`<p><label for="${id}">${label}</label>
<input id="${id}" name="${name}" type="${options.type ?? 'text'}"${options.autocomplete ? html` autocomplete="${options.autocomplete}"` : ''}${
    options.inputmode ? html` inputmode="${options.inputmode}"` : ''
  }${options.required === false ? '' : html` required`}${options.value === undefined ? '' : html` value="${options.value}"`}${
    options.maxlength === undefined ? '' : html` maxlength="${options.maxlength}"`
  }${options.hint ? html` aria-describedby="${id}-hint"` : ''}>
${options.hint ? html`<small id="${id}-hint">${options.hint}</small>` : ''}</p>`;
}

export function when(at: number | null | undefined): string {
  return at === null || at === undefined ? '—' : `${new Date(at).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}
