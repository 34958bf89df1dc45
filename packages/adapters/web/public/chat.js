// The Botwire web chat: plain JavaScript, no build step. It signs in over a WebSocket, shows the
// chat's messages (Markdown rendered safely), sends texts and button presses, downloads files
// with the user's token, and reconnects by itself with a growing delay.
import { renderMarkdown } from './markdown.js';

const tokenKey = 'botwire.token';
const $ = (id) => document.getElementById(id);
const elements = {
  title: $('title'),
  status: $('status'),
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
};

const api = (path) => new URL(path.replace(/^\//, ''), document.baseURI);

function setStatus(kind, text) {
  elements.status.className = `status ${kind}`;
  elements.status.textContent = text;
}

function nearBottom() {
  const { scrollTop, scrollHeight, clientHeight } = elements.scroller;
  return scrollHeight - scrollTop - clientHeight < 120;
}

function scrollDown() {
  elements.scroller.scrollTop = elements.scroller.scrollHeight;
}

function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
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
  setStatus('offline', 'signed out');
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
    link.title = `Download failed (${error.message})`;
    note(`Could not download ${name} (${error.message}).`);
  }
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
  item.className = `message ${event.from}`;
  item.dataset.seq = String(event.seq);
  if (event.clientId) item.dataset.clientId = event.clientId;
  if (event.at) item.title = new Date(event.at).toLocaleString();
  const text = document.createElement('div');
  if (event.from === 'bot' && event.format === 'markdown') {
    text.className = 'text markdown';
    text.innerHTML = renderMarkdown(event.text);
  } else {
    text.className = 'text plain';
    text.textContent = event.text;
  }
  item.append(text);
  if (event.buttons?.length) item.append(renderButtons(event.buttons));
  if (event.artifacts?.length) item.append(renderFiles(event.artifacts));
  elements.messages.append(item);
  if (stick || event.from === 'user') scrollDown();
}

function draft(text, clientId) {
  const item = document.createElement('li');
  item.className = 'message user pending';
  item.dataset.clientId = clientId;
  const body = document.createElement('div');
  body.className = 'text plain';
  body.textContent = text;
  item.append(body);
  elements.messages.append(item);
  scrollDown();
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

function press(data, label) {
  const clientId = newClientId();
  draft(label, clientId);
  sendFrame({ type: 'button', data, label, clientId });
}

function scheduleReconnect() {
  clearTimeout(state.retryTimer);
  const delay = Math.min(15_000, 500 * 2 ** state.retries) * (0.6 + Math.random() * 0.4);
  state.retries += 1;
  setStatus('connecting', `reconnecting in ${Math.ceil(delay / 1000)} s`);
  state.retryTimer = setTimeout(connect, delay);
}

function handleFrame(frame) {
  if (frame.type === 'ready') {
    state.ready = true;
    state.retries = 0;
    state.user = frame.user;
    if (frame.reset) {
      for (const item of elements.messages.querySelectorAll('li:not(.pending)')) item.remove();
      state.lastSeq = 0;
    }
    state.epoch = frame.epoch;
    showChat();
    for (const event of frame.history) addMessage(event);
    elements.typing.hidden = !frame.busy;
    setStatus('online', 'online');
    const outbox = state.outbox.splice(0);
    for (const queued of outbox) sendFrame(queued);
    scrollDown();
  } else if (frame.type === 'message') {
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
    note(frame.message ?? 'Something went wrong.');
  }
}

function connect() {
  clearTimeout(state.retryTimer);
  if (!state.token) return showSignIn();
  const url = api('api/v1/ws');
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(url);
  state.socket = socket;
  state.ready = false;
  setStatus('connecting', 'connecting');
  socket.addEventListener('open', () => {
    socket.send(
      JSON.stringify({
        type: 'hello',
        token: state.token,
        since: state.lastSeq,
        epoch: state.epoch,
        locale: navigator.language,
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
      showSignIn('That token was not accepted. Check it, or ask the owner for a new one.');
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
  state.lastSeq = 0;
  state.epoch = undefined;
  showSignIn();
}

async function invite() {
  const name = prompt('Who is the invitation for? (a name, optional)');
  if (name === null) return;
  const response = await fetch(api('api/v1/invitations'), {
    method: 'POST',
    headers: { authorization: `Bearer ${state.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(name.trim() ? { name: name.trim() } : {}),
  });
  if (!response.ok) return void note(`Could not create an invitation (${response.status}).`);
  const { url } = await response.json();
  const field = document.createElement('input');
  field.readOnly = true;
  field.value = api(url).href;
  field.addEventListener('focus', () => field.select());
  note('Send this sign-in link to the person you invite (it is shown only once):', field);
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

elements.signout.addEventListener('click', signOut);
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
      elements.title.textContent = title;
      document.title = title;
    }
  })
  .catch(() => {});

if (state.token) connect();
else showSignIn();
