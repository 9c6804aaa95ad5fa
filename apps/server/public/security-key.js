// Security keys over WebAuthn: registration on "Security credentials", the MFA step at sign-in.
// Loaded as a file (the CSP allows no inline script); talks JSON to the /mfa routes.

const b64urlToBytes = (text) => {
  const base64 = text
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(text.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
};
const bytesToB64url = (buffer) =>
  btoa(String.fromCharCode(...new Uint8Array(buffer)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';

async function postJson(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken() },
    body: JSON.stringify(body ?? {}),
    credentials: 'same-origin',
  });
  return { status: response.status, body: await response.json().catch(() => ({})) };
}

function credentialJson(credential) {
  const response = credential.response;
  const json = {
    id: credential.id,
    rawId: bytesToB64url(credential.rawId),
    type: credential.type,
    clientExtensionResults: credential.getClientExtensionResults(),
    response: { clientDataJSON: bytesToB64url(response.clientDataJSON) },
  };
  if (response.attestationObject) {
    json.response.attestationObject = bytesToB64url(response.attestationObject);
    if (response.getTransports) json.response.transports = response.getTransports();
  } else {
    json.response.authenticatorData = bytesToB64url(response.authenticatorData);
    json.response.signature = bytesToB64url(response.signature);
    if (response.userHandle) json.response.userHandle = bytesToB64url(response.userHandle);
  }
  return json;
}

function say(text) {
  const status = document.getElementById('security-key-status');
  if (status) status.textContent = text;
}

async function register() {
  say('Touch your security key…');
  const begin = await postJson('/mfa/security-keys/registration/begin');
  if (begin.status !== 200) return say(begin.body.message ?? 'Could not start the registration.');
  const options = begin.body;
  options.challenge = b64urlToBytes(options.challenge);
  options.user.id = b64urlToBytes(options.user.id);
  for (const excluded of options.excludeCredentials ?? []) excluded.id = b64urlToBytes(excluded.id);
  const credential = await navigator.credentials.create({ publicKey: options });
  const name = document.getElementById('field-key-name')?.value || 'Security key';
  const finish = await postJson('/mfa/security-keys/registration/finish', {
    credential: credentialJson(credential),
    name,
  });
  if (finish.status === 201) window.location.assign('/security?notice=key');
  else say(finish.body.message ?? 'The key was not registered.');
}

async function signIn(next) {
  say('Touch your security key…');
  const begin = await postJson('/mfa/sign-in/security-key/begin');
  if (begin.status !== 200) return say(begin.body.message ?? 'Could not start.');
  const options = begin.body;
  options.challenge = b64urlToBytes(options.challenge);
  for (const allowed of options.allowCredentials ?? []) allowed.id = b64urlToBytes(allowed.id);
  const credential = await navigator.credentials.get({ publicKey: options });
  const finish = await postJson('/mfa/sign-in/security-key/finish', { credential: credentialJson(credential) });
  if (finish.status === 200) window.location.assign(next);
  else say('The security key was not accepted.');
}

document
  .getElementById('security-key-register')
  ?.addEventListener('click', () =>
    register().catch((error) => say(`The security key did not answer (${error.name}).`)),
  );
const signInButton = document.getElementById('security-key-sign-in');
signInButton?.addEventListener('click', () =>
  signIn(signInButton.dataset.next || '/security').catch((error) =>
    say(`The security key did not answer (${error.name}).`),
  ),
);
