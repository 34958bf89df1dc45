// The Botwire web chat: plain JavaScript, no build step. It signs in over a WebSocket, shows the
// chat's messages (Markdown rendered safely, images of the bot's files inline), greets the user
// when the chat is empty, speaks the user's language, sends texts, button presses and files (the
// paperclip, or dropped on the page), downloads files with the user's token, and reconnects by
// itself with a growing delay.
import { renderMarkdown } from './markdown-dom.js';
import { strings } from './strings.js';
import { pickLanguage, translatePage, translator } from './translate.js';

const tokenKey = 'botwire.token';
const languageKey = 'botwire.language';
/** Images larger than this are offered as files, not shown. */
const maxImageBytes = 8 * 1024 * 1024;
/** Raster images only: an SVG opened from a blob: URL would run its scripts in this page's origin. */
const inlineImageTypes = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/bmp',
]);
const $ = (id) => document.getElementById(id);
const elements = {
  title: $('title'),
  status: $('status'),
  language: $('language'),
  invite: $('invite'),
  signout: $('signout'),
  scroller: $('scroller'),
  signin: $('signin'),
  signinForm: $('signin-form'),
  tokenInput: $('token'),
  signinError: $('signin-error'),
  messages: $('messages'),
  typing: $('typing'),
  composer: $('composer'),
  input: $('input'),
  attach: $('attach'),
  fileInput: $('file-input'),
  dropHint: $('drop-hint'),
};

const state = {
  token: undefined,
  socket: undefined,
  ready: false,
  epoch: undefined,
  lastSeq: 0,
  retries: 0,
  retryTimer: undefined,
  /** Frames typed while the socket was down; sent once it is back. */
  outbox: [],
  user: undefined,
  botName: undefined,
  language: 'en',
  t: translator(strings, 'en'),
  /** The status shown, kept as a key so a change of language can say it again. */
  status: { kind: 'offline', key: 'status.offline', parameters: {} },
  /** The empty chat's suggestions, from /api/v1/welcome. */
  welcome: undefined,
  /** blob: URLs of images shown, released when their messages go. */
  objectUrls: new Set(),
  /** The largest file the bot takes (from `ready`); a larger one is refused before it is sent. */
  maxUploadBytes: undefined,
  /** Files are sent one after another, in the order they were chosen. */
  uploads: Promise.resolve(),
};

const api = (path) => new URL(path.replace(/^\//, ''), document.baseURI);

function setStatus(kind, key, parameters = {}) {
  state.status = { kind, key, parameters };
  elements.status.className = `status ${kind}`;
  elements.status.textContent = state.t(key, parameters);
}

function showTitle() {
  const title = state.botName ?? state.t('page.title');
  elements.title.textContent = title;
  document.title = title;
}

/** Switches the page to a language: every label, the status, the greeting. */
function applyLanguage(language) {
  state.language = language;
  state.t = translator(strings, language);
  document.documentElement.lang = language;
  translatePage(document, state.t);
  elements.language.value = language;
  setStatus(state.status.kind, state.status.key, state.status.parameters);
  showTitle();
  if (elements.messages.querySelector('.greeting')) void greet();
}

function fillLanguages() {
  for (const language of Object.keys(strings).sort()) {
    const option = document.createElement('option');
    option.value = language;
    option.textContent = strings[language]['language.short'] ?? language.toUpperCase();
    option.title = strings[language]['language.name'] ?? language;
    elements.language.append(option);
  }
}

function nearBottom() {
  const { scrollTop, scrollHeight, clientHeight } = elements.scroller;
  return scrollHeight - scrollTop - clientHeight < 120;
}

function scrollDown() {
  elements.scroller.scrollTop = elements.scroller.scrollHeight;
}

function formatSize(bytes) {
  const number = new Intl.NumberFormat(state.language, { maximumFractionDigits: 1 });
  if (bytes < 1024) return state.t('size.bytes', { size: number.format(bytes) });
  if (bytes < 1024 * 1024) return state.t('size.kilobytes', { size: number.format(bytes / 1024) });
  return state.t('size.megabytes', { size: number.format(bytes / 1024 / 1024) });
}

function note(text, extra) {
  const item = document.createElement('li');
  item.className = 'note';
  item.textContent = text;
  if (extra) item.append(extra);
  elements.messages.append(item);
  scrollDown();
  return item;
}

/** Shows the sign-in form (with a reason, when a token was refused). */
function showSignIn(error) {
  state.ready = false;
  elements.signin.hidden = false;
  elements.messages.hidden = true;
  elements.composer.hidden = true;
  elements.signout.hidden = true;
  elements.invite.hidden = true;
  elements.typing.hidden = true;
  elements.signinError.hidden = !error;
  elements.signinError.textContent = error ?? '';
  setStatus('offline', 'status.signedOut');
  elements.tokenInput.focus();
}

function showChat() {
  elements.signin.hidden = true;
  elements.messages.hidden = false;
  elements.composer.hidden = false;
  elements.signout.hidden = false;
  elements.invite.hidden = !state.user?.owner;
}

async function download(url, name, link) {
  try {
    const response = await fetch(api(url), {
      headers: { authorization: `Bearer ${state.token}` },
    });
    if (!response.ok) throw new Error(`${response.status}`);
    const blob = await response.blob();
    const href = URL.createObjectURL(blob);
    const anchor = document.createElement('a');
    anchor.href = href;
    anchor.download = name;
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(() => URL.revokeObjectURL(href), 60_000);
  } catch (error) {
    const text = state.t('file.downloadFailed', { name, reason: error.message });
    link.title = text;
    note(text);
  }
}

/** Fetches one of the bot's files with the user's token; the bytes as a Blob of a raster type. */
async function fetchImage(url) {
  const response = await fetch(api(url), {
    headers: { authorization: `Bearer ${state.token}` },
  });
  if (!response.ok) throw new Error(`${response.status}`);
  const type = (response.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (!inlineImageTypes.has(type)) throw new Error(type || 'not an image');
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxImageBytes) throw new Error(formatSize(declared));
  const blob = await response.blob();
  if (blob.size > maxImageBytes) throw new Error(formatSize(blob.size));
  return new Blob([blob], { type });
}

/**
 * An image of one of the bot's files, shown inline once fetched (the page needs the user's
 * token, so the image cannot simply point at the URL). Clicking it downloads the file.
 */
function inlineImage(url, name) {
  const figure = document.createElement('figure');
  figure.className = 'image loading';
  const image = document.createElement('img');
  image.alt = name;
  image.decoding = 'async';
  figure.append(image);
  fetchImage(url)
    .then((blob) => {
      const href = URL.createObjectURL(blob);
      state.objectUrls.add(href);
      image.src = href;
      figure.classList.remove('loading');
      image.addEventListener('load', () => {
        if (nearBottom()) scrollDown();
      });
      image.addEventListener('click', () => void download(url, name, image));
    })
    .catch((error) => {
      figure.className = 'image failed';
      image.remove();
      figure.textContent = state.t('file.imageFailed', { name, reason: error.message });
    });
  return figure;
}

function releaseImages() {
  for (const href of state.objectUrls) URL.revokeObjectURL(href);
  state.objectUrls.clear();
}

function renderButtons(rows) {
  const box = document.createElement('div');
  box.className = 'buttons';
  for (const row of rows) {
    const line = document.createElement('div');
    line.className = 'row';
    for (const button of row) {
      if (button.url && /^https?:\/\//i.test(button.url)) {
        const anchor = document.createElement('a');
        anchor.href = button.url;
        anchor.target = '_blank';
        anchor.rel = 'noopener noreferrer';
        anchor.textContent = button.label;
        line.append(anchor);
      } else if (button.data) {
        const element = document.createElement('button');
        element.type = 'button';
        element.textContent = button.label;
        element.addEventListener('click', () => press(button.data, button.label));
        line.append(element);
      }
    }
    box.append(line);
  }
  return box;
}

function renderFiles(artifacts) {
  const box = document.createElement('div');
  box.className = 'files';
  for (const artifact of artifacts) {
    if (inlineImageTypes.has(artifact.mimeType) && (artifact.size ?? 0) <= maxImageBytes)
      box.append(inlineImage(artifact.url, artifact.name));
    const link = document.createElement('a');
    link.href = api(artifact.url).href;
    link.className = 'file';
    link.dataset.name = artifact.name;
    const name = document.createElement('span');
    name.textContent = artifact.name;
    const size = document.createElement('span');
    size.className = 'size';
    size.textContent = formatSize(artifact.size ?? 0);
    link.append(name, size);
    link.addEventListener('click', (event) => {
      event.preventDefault();
      void download(artifact.url, artifact.name, link);
    });
    box.append(link);
  }
  return box;
}

/** Adds one message of the chat to the list (the user's own echo only confirms the draft). */
function addMessage(event) {
  if (event.seq <= state.lastSeq) return;
  state.lastSeq = event.seq;
  elements.messages.querySelector('.greeting')?.remove();
  if (event.clientId) {
    const draft = elements.messages.querySelector(
      `[data-client-id="${CSS.escape(event.clientId)}"]`,
    );
    if (draft) {
      draft.classList.remove('pending');
      return;
    }
  }
  const stick = nearBottom();
  const item = document.createElement('li');
  item.className = `message ${event.from}${event.type === 'job_result' ? ' job-result' : ''}`;
  item.dataset.seq = String(event.seq);
  if (event.clientId) item.dataset.clientId = event.clientId;
  if (event.at) item.title = new Date(event.at).toLocaleString();
  if (event.file) item.append(fileLine(event.file));
  const text = document.createElement('div');
  if (event.from === 'bot' && event.format === 'markdown') {
    text.className = 'text markdown';
    renderMarkdown(document, text, event.text, {
      image: ({ src, alt }) => inlineImage(src, alt || src.split('/').pop()),
    });
  } else {
    text.className = 'text plain';
    text.textContent = event.text;
  }
  if (!event.file || event.text) item.append(text);
  if (event.buttons?.length) item.append(renderButtons(event.buttons));
  if (event.artifacts?.length) item.append(renderFiles(event.artifacts));
  elements.messages.append(item);
  if (stick || event.from === 'user') scrollDown();
}

/** A file the user sent, as its message shows it: `📎 report.pdf (18 KB)`. */
function fileLine(file) {
  const line = document.createElement('div');
  line.className = 'attachment';
  line.textContent = `📎 ${file.name} (${formatSize(file.size ?? 0)})`;
  return line;
}

/** The user's message, shown at once and confirmed when the bot's echo of it arrives. */
function draft(text, clientId, file) {
  elements.messages.querySelector('.greeting')?.remove();
  const item = document.createElement('li');
  item.className = 'message user pending';
  item.dataset.clientId = clientId;
  if (file) item.append(fileLine(file));
  if (!file || text) {
    const body = document.createElement('div');
    body.className = 'text plain';
    body.textContent = text;
    item.append(body);
  }
  elements.messages.append(item);
  scrollDown();
  return item;
}

function sendFrame(frame) {
  if (state.ready && state.socket?.readyState === WebSocket.OPEN) {
    state.socket.send(JSON.stringify(frame));
  } else {
    state.outbox.push(frame);
  }
}

const newClientId = () =>
  crypto.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;

function sendText(text) {
  const clientId = newClientId();
  draft(text, clientId);
  sendFrame({ type: 'message', text, clientId });
}

/**
 * Sends one file (with the caption typed, if any) over HTTP, since a socket frame is small; the
 * echo and the replies come over the socket like any message. Refusals are said in the chat.
 */
async function upload(file, caption) {
  const clientId = newClientId();
  const item = draft(caption, clientId, { name: file.name, size: file.size });
  const fail = (key, parameters = {}) => {
    item.classList.remove('pending');
    item.classList.add('failed');
    note(state.t(key, { name: file.name, ...parameters }));
  };
  if (file.size === 0) return fail('upload.empty');
  if (state.maxUploadBytes !== undefined && file.size > state.maxUploadBytes)
    return fail('upload.tooLarge', { limit: formatSize(state.maxUploadBytes) });
  const form = new FormData();
  form.append('file', file, file.name);
  if (caption) form.append('text', caption);
  form.append('clientId', clientId);
  let response;
  try {
    response = await fetch(api('api/v1/files'), {
      method: 'POST',
      headers: { authorization: `Bearer ${state.token}` },
      body: form,
    });
  } catch (error) {
    return fail('upload.failed', { reason: error.message });
  }
  if (response.ok) return;
  if (response.status === 413)
    return fail('upload.tooLarge', { limit: formatSize(state.maxUploadBytes ?? 0) });
  if (response.status === 400) return fail('upload.refused');
  fail('upload.failed', { reason: response.status });
}

/** Queues files to send, in order; the text typed in the box goes with the first as its caption. */
function sendFiles(files) {
  if (!state.token || files.length === 0) return;
  let caption = elements.input.value.trim();
  elements.input.value = '';
  elements.input.style.height = '';
  for (const file of files) {
    const text = caption;
    caption = '';
    state.uploads = state.uploads.then(() => upload(file, text)).catch(() => {});
  }
}

function press(data, label) {
  const clientId = newClientId();
  draft(label, clientId);
  sendFrame({ type: 'button', data, label, clientId });
}

function scheduleReconnect() {
  clearTimeout(state.retryTimer);
  const delay = Math.min(15_000, 500 * 2 ** state.retries) * (0.6 + Math.random() * 0.4);
  state.retries += 1;
  setStatus('connecting', 'status.reconnecting', { seconds: Math.ceil(delay / 1000) });
  state.retryTimer = setTimeout(connect, delay);
}

function handleFrame(frame) {
  if (frame.type === 'ready') {
    state.ready = true;
    state.retries = 0;
    state.user = frame.user;
    if (frame.reset) {
      for (const item of elements.messages.querySelectorAll('li:not(.pending)')) item.remove();
      releaseImages();
      state.lastSeq = 0;
    }
    state.epoch = frame.epoch;
    if (typeof frame.maxUploadBytes === 'number') state.maxUploadBytes = frame.maxUploadBytes;
    // The language the user chose is kept by the bot, for every device; a choice made on this
    // page before signing in is handed to the bot.
    const chosen = localStorage.getItem(languageKey);
    if (frame.user?.locale) {
      localStorage.setItem(languageKey, frame.user.locale);
      applyLanguage(pickLanguage(strings, [frame.user.locale, state.language]));
    } else if (chosen) {
      state.socket?.send(JSON.stringify({ type: 'locale', locale: chosen }));
    }
    showChat();
    for (const event of frame.history) addMessage(event);
    if (!elements.messages.querySelector('.message')) void greet();
    elements.typing.hidden = !frame.busy;
    setStatus('online', 'status.online');
    const outbox = state.outbox.splice(0);
    for (const queued of outbox) sendFrame(queued);
    scrollDown();
  } else if (frame.type === 'message' || frame.type === 'job_result') {
    addMessage(frame);
  } else if (frame.type === 'status') {
    const stick = nearBottom();
    elements.typing.hidden = !frame.busy;
    if (stick) scrollDown();
  } else if (frame.type === 'error') {
    if (frame.clientId)
      elements.messages
        .querySelector(`[data-client-id="${CSS.escape(frame.clientId)}"]`)
        ?.classList.add('failed');
    note(
      state.t(frame.code === 'BOTWIRE_INVALID_ARGUMENT' ? 'error.invalid' : 'error.notProcessed'),
    );
  }
}

/** The empty chat's greeting: who the bot is and a few phrases to try (from the bot). */
async function greet() {
  const language = state.language;
  try {
    const response = await fetch(api(`api/v1/welcome?locale=${encodeURIComponent(language)}`), {
      headers: { authorization: `Bearer ${state.token}` },
    });
    state.welcome = response.ok ? await response.json() : undefined;
  } catch {
    state.welcome = undefined;
  }
  // The chat filled up, or the language changed, while the phrases were on their way.
  if (language !== state.language || elements.messages.querySelector('.message')) return;
  const item = document.createElement('li');
  item.className = 'greeting';
  const bubble = document.createElement('div');
  bubble.className = 'text';
  const hello = document.createElement('p');
  const bot = state.botName ?? state.t('page.title');
  hello.textContent = state.user?.name
    ? state.t('greeting.hello', { name: state.user.name, bot })
    : state.t('greeting.helloNoName', { bot });
  bubble.append(hello);
  const suggestions = state.welcome?.suggestions ?? [];
  if (suggestions.length > 0) {
    const lead = document.createElement('p');
    lead.textContent = state.t('greeting.try');
    const list = document.createElement('ul');
    list.className = 'suggestions';
    for (const suggestion of suggestions) {
      const entry = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = suggestion.text;
      button.addEventListener('click', () => sendText(suggestion.text));
      const description = document.createElement('span');
      description.textContent = suggestion.description;
      entry.append(button, description);
      list.append(entry);
    }
    bubble.append(lead, list);
  }
  item.append(bubble);
  elements.messages.querySelector('.greeting')?.remove();
  elements.messages.prepend(item);
}

function connect() {
  clearTimeout(state.retryTimer);
  if (!state.token) return showSignIn();
  const url = api('api/v1/ws');
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(url);
  state.socket = socket;
  state.ready = false;
  setStatus('connecting', 'status.connecting');
  socket.addEventListener('open', () => {
    socket.send(
      JSON.stringify({
        type: 'hello',
        token: state.token,
        since: state.lastSeq,
        epoch: state.epoch,
        locale: localStorage.getItem(languageKey) ?? navigator.language,
      }),
    );
  });
  socket.addEventListener('message', (event) => {
    try {
      handleFrame(JSON.parse(event.data));
    } catch (error) {
      console.error('bad frame', error);
    }
  });
  socket.addEventListener('close', (event) => {
    if (state.socket !== socket) return;
    state.socket = undefined;
    state.ready = false;
    elements.typing.hidden = true;
    if (event.code === 4401 || event.code === 4403) {
      localStorage.removeItem(tokenKey);
      state.token = undefined;
      showSignIn(state.t('signIn.refused'));
      return;
    }
    if (state.token) scheduleReconnect();
  });
}

function signOut() {
  localStorage.removeItem(tokenKey);
  state.token = undefined;
  const socket = state.socket;
  state.socket = undefined;
  socket?.close(1000, 'signed out');
  elements.messages.replaceChildren();
  releaseImages();
  state.lastSeq = 0;
  state.epoch = undefined;
  showSignIn();
}

async function invite() {
  const name = prompt(state.t('invite.prompt'));
  if (name === null) return;
  const response = await fetch(api('api/v1/invitations'), {
    method: 'POST',
    headers: { authorization: `Bearer ${state.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(name.trim() ? { name: name.trim() } : {}),
  });
  if (!response.ok) return void note(state.t('invite.failed', { status: response.status }));
  const { url } = await response.json();
  const field = document.createElement('input');
  field.readOnly = true;
  field.value = api(url).href;
  field.addEventListener('focus', () => field.select());
  note(state.t('invite.link'), field);
}

elements.signinForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const token = elements.tokenInput.value.trim();
  if (!token) return;
  localStorage.setItem(tokenKey, token);
  state.token = token;
  elements.tokenInput.value = '';
  connect();
});

elements.composer.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = elements.input.value.trim();
  if (!text) return;
  elements.input.value = '';
  elements.input.style.height = '';
  sendText(text);
  elements.input.focus();
});

elements.input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    elements.composer.requestSubmit();
  }
});

elements.input.addEventListener('input', () => {
  elements.input.style.height = '';
  elements.input.style.height = `${Math.min(elements.input.scrollHeight + 2, 144)}px`;
});

elements.attach.addEventListener('click', () => elements.fileInput.click());
elements.fileInput.addEventListener('change', () => {
  sendFiles([...elements.fileInput.files]);
  elements.fileInput.value = '';
});

// Files dropped anywhere on the page are sent, once signed in; a dropped file never opens in
// place of the page.
const carriesFiles = (event) => event.dataTransfer?.types.includes('Files') ?? false;
let dragDepth = 0;
const showDropHint = (shown) => {
  document.body.classList.toggle('dragging', shown);
  elements.dropHint.hidden = !shown;
};
document.addEventListener('dragenter', (event) => {
  if (!carriesFiles(event)) return;
  event.preventDefault();
  dragDepth += 1;
  if (!elements.composer.hidden) showDropHint(true);
});
document.addEventListener('dragover', (event) => {
  if (!carriesFiles(event)) return;
  event.preventDefault();
  event.dataTransfer.dropEffect = elements.composer.hidden ? 'none' : 'copy';
});
document.addEventListener('dragleave', (event) => {
  if (!carriesFiles(event)) return;
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) showDropHint(false);
});
document.addEventListener('drop', (event) => {
  if (!carriesFiles(event)) return;
  event.preventDefault();
  dragDepth = 0;
  showDropHint(false);
  if (!elements.composer.hidden) sendFiles([...event.dataTransfer.files]);
});

elements.signout.addEventListener('click', signOut);
elements.language.addEventListener('change', () => {
  const language = elements.language.value;
  localStorage.setItem(languageKey, language);
  applyLanguage(language);
  if (state.ready) state.socket?.send(JSON.stringify({ type: 'locale', locale: language }));
});
elements.invite.addEventListener('click', () => void invite());

// Come back at once when the network or the tab does.
const reconnectNow = () => {
  if (state.token && !state.socket) {
    state.retries = 0;
    connect();
  }
};
window.addEventListener('online', reconnectNow);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') reconnectNow();
});

// A sign-in link carries the token in the fragment, which never reaches a server or a log.
const fragment = new URLSearchParams(location.hash.slice(1));
if (fragment.get('token')) {
  localStorage.setItem(tokenKey, fragment.get('token'));
  history.replaceState(null, '', location.pathname + location.search);
}
state.token = localStorage.getItem(tokenKey) ?? undefined;

fetch(api('openapi.json'))
  .then((response) => (response.ok ? response.json() : undefined))
  .then((document_) => {
    const title = document_?.info?.title;
    if (title) {
      state.botName = title;
      showTitle();
      if (elements.messages.querySelector('.greeting')) void greet();
    }
  })
  .catch(() => {});

fillLanguages();
applyLanguage(
  pickLanguage(strings, [
    localStorage.getItem(languageKey) ?? undefined,
    ...(navigator.languages ?? []),
    navigator.language,
  ]),
);

if (state.token) connect();
else showSignIn();
