// Passkeys: the browser's WebAuthn calls for buttons with data-passkey="register|login|factor".
// The server sends options as JSON with base64url fields; they become ArrayBuffers here and
// the browser's answer goes back with base64url fields again.
(function () {
  "use strict";

  function toBuffer(text) {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const padded = base64 + "===".slice((base64.length + 3) % 4);
    const binary = atob(padded);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
    return bytes.buffer;
  }

  function toText(buffer) {
    if (!buffer) return null;
    const bytes = new Uint8Array(buffer);
    let binary = "";
    for (let i = 0; i < bytes.length; i += 1) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function post(url, csrf, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": csrf,
        "X-Requested-With": "fetch",
      },
      body: JSON.stringify(body || {}),
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) {
          throw new Error((data.error && data.error.message) || String(response.status));
        }
        return data;
      });
    });
  }

  function creationOptions(options) {
    options.challenge = toBuffer(options.challenge);
    options.user.id = toBuffer(options.user.id);
    (options.excludeCredentials || []).forEach(function (c) { c.id = toBuffer(c.id); });
    return { publicKey: options };
  }

  function requestOptions(options) {
    options.challenge = toBuffer(options.challenge);
    (options.allowCredentials || []).forEach(function (c) { c.id = toBuffer(c.id); });
    return { publicKey: options };
  }

  function created(credential) {
    const response = credential.response;
    return {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      response: {
        clientDataJSON: toText(response.clientDataJSON),
        attestationObject: toText(response.attestationObject),
        transports: response.getTransports ? response.getTransports() : [],
      },
      clientExtensionResults: credential.getClientExtensionResults(),
    };
  }

  function asserted(credential) {
    const response = credential.response;
    return {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      response: {
        clientDataJSON: toText(response.clientDataJSON),
        authenticatorData: toText(response.authenticatorData),
        signature: toText(response.signature),
        userHandle: toText(response.userHandle),
      },
      clientExtensionResults: credential.getClientExtensionResults(),
    };
  }

  function run(button) {
    const csrf = button.dataset.csrf;
    const register = button.dataset.passkey === "register";
    return post(button.dataset.optionsUrl, csrf)
      .then(function (options) {
        return register
          ? navigator.credentials.create(creationOptions(options))
          : navigator.credentials.get(requestOptions(options));
      })
      .then(function (credential) {
        if (!credential) throw new Error(button.dataset.error);
        if (register) {
          const name = document.getElementById(button.dataset.nameInput);
          return post(button.dataset.url, csrf, {
            name: name ? name.value : "",
            credential: created(credential),
          });
        }
        return post(button.dataset.url, csrf, {
          next: button.dataset.next || "",
          credential: asserted(credential),
        });
      });
  }

  document.querySelectorAll("[data-passkey]").forEach(function (button) {
    const status = document.getElementById(button.dataset.status);
    if (!window.PublicKeyCredential) {
      button.disabled = true;
      return;
    }
    button.addEventListener("click", function () {
      button.disabled = true;
      if (status) status.textContent = "";
      run(button)
        .then(function (answer) {
          window.location.assign(answer.redirect);
        })
        .catch(function (error) {
          // The browser's own errors (cancelled, timed out) are in English: say ours.
          const ours = error && error.name === "Error" && error.message;
          if (status) status.textContent = ours || button.dataset.error;
          button.disabled = false;
        });
    });
  });
})();
