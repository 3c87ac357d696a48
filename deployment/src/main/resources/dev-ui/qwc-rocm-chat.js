import { LitElement, html, css } from 'lit';
import { JsonRpc } from 'jsonrpc';
import '@vaadin/select';
import '@vaadin/number-field';
import '@vaadin/integer-field';
import '@vaadin/text-area';
import '@vaadin/button';
import '@vaadin/icon';
import '@vaadin/message-list';
import '@vaadin/progress-bar';
import '@vaadin/horizontal-layout';

/**
 * A playground that streams an answer from a chosen model (or LoRA adapter), with its time to first token and tokens
 * per second; an image can go with the message to a model with a multimodal projector.
 *
 * Each message is answered on its own (no history): the conversation shows the message and its streamed answer.
 * Hooks for DevUiBrowserTest: #model (a vaadin-select, its items {label, value}), #message, #send, #stop, #attach,
 * #conversation (a vaadin-message-list, the answer being its item with className 'answer'), #stats and #error.
 */
export class QwcRocmChat extends LitElement {

    jsonRpc = new JsonRpc(this);

    /**
     * The Dev UI's websocket takes frames of 64 kB by default (quarkus.http.websocket-server.max-frame-size), and a
     * JSON-RPC call is one frame: an image is scaled down to fit in this many characters of data URI.
     */
    static MAX_IMAGE_CHARS = 56 * 1024;
    /** Above this, a call would close the Dev UI's websocket: the page says so instead of sending it. */
    static MAX_CALL_CHARS = 64 * 1024 - 512;
    /** The formats llama-server's image loader reads; others are converted. */
    static READABLE = ['image/png', 'image/jpeg', 'image/gif', 'image/bmp'];

    static styles = css`
        :host { display: flex; flex-direction: column; gap: var(--lumo-space-s); padding: var(--lumo-space-m);
                height: 100%; box-sizing: border-box; }
        .settings { align-items: baseline; }
        #model { min-width: 18em; }
        #temperature { width: 11em; }
        #max-tokens { width: 9em; }
        vaadin-text-area { width: 100%; }
        #system { max-height: 8em; }
        #message { max-height: 14em; }
        #conversation { flex: 1 1 auto; min-height: 8em; overflow: auto;
                        border: 1px solid var(--lumo-contrast-10pct); border-radius: var(--lumo-border-radius-m); }
        .empty { color: var(--lumo-secondary-text-color); font-size: var(--lumo-font-size-s);
                 padding: var(--lumo-space-m); }
        .buttons { align-items: center; }
        #stats { color: var(--lumo-secondary-text-color); font-size: var(--lumo-font-size-s); }
        #error { color: var(--lumo-error-text-color); font-size: var(--lumo-font-size-s); }
        #error:empty { display: none; }
        .image { display: flex; align-items: center; gap: var(--lumo-space-s); font-size: var(--lumo-font-size-s);
                 color: var(--lumo-secondary-text-color); }
        #image-preview { max-height: 4em; max-width: 8em; border-radius: var(--lumo-border-radius-s);
                         border: 1px solid var(--lumo-contrast-20pct); }
        vaadin-progress-bar { margin: 0; }
    `;

    static properties = {
        _choices: { state: true },
        _model: { state: true },
        _items: { state: true },
        _stats: { state: true },
        _error: { state: true },
        _streaming: { state: true },
        _image: { state: true }
    };

    constructor() {
        super();
        this._choices = [];
        this._model = '';
        this._items = [];
        this._stats = '';
        this._error = '';
        this._streaming = false;
        this._image = null;
    }

    connectedCallback() {
        super.connectedCallback();
        this.jsonRpc.getModels().then(response => {
            const choices = [];
            for (const m of response.result.filter(m => !m.embeddings && !m.capabilities.includes('rerank'))) {
                choices.push({ value: m.name, label: m.alias, base: m });
                for (const a of m.adapters ?? []) {
                    choices.push({ value: a.name, label: `${a.name} (adapter of ${m.alias})`, base: m });
                }
            }
            this._choices = choices;
            if (!choices.some(c => c.value === this._model)) {
                this._model = choices.length > 0 ? choices[0].value : '';
            }
        });
    }

    disconnectedCallback() {
        this._stop();
        super.disconnectedCallback();
    }

    render() {
        const vision = this._vision();
        return html`
            <vaadin-horizontal-layout theme="spacing wrap" class="settings">
                <vaadin-select id="model" label="Model" .items=${this._choices.map(c => ({ label: c.label, value: c.value }))}
                               .value=${this._model} @value-changed=${e => this._model = e.detail.value}
                               ?disabled=${this._choices.length === 0}></vaadin-select>
                <vaadin-number-field id="temperature" label="Temperature" min="0" max="2" step="0.1"
                                     step-buttons-visible placeholder="model's"></vaadin-number-field>
                <vaadin-integer-field id="max-tokens" label="Max tokens" min="1"
                                      placeholder="model's"></vaadin-integer-field>
            </vaadin-horizontal-layout>
            <vaadin-text-area id="system" label="System prompt" placeholder="You are a helpful assistant."
                              min-rows="1"></vaadin-text-area>
            <vaadin-message-list id="conversation" markdown .items=${this._items}></vaadin-message-list>
            ${this._streaming
                ? html`<vaadin-progress-bar id="progress" indeterminate></vaadin-progress-bar>` : ''}
            <vaadin-text-area id="message" label="Message" min-rows="2"
                              placeholder="Ctrl+Enter sends${vision ? '; an image can be pasted' : ''}"
                              @keydown=${this._keydown} @paste=${this._paste}></vaadin-text-area>
            ${this._image ? html`
                <div class="image">
                    <img id="image-preview" src="${this._image.dataUri}" alt="${this._image.name}">
                    <span>${this._image.name} (${(this._image.dataUri.length / 1024).toFixed(1)} kB)${this._image.note}</span>
                    <vaadin-button id="remove-image" theme="tertiary small" title="Remove the image"
                                   @click=${this._removeImage}>
                        <vaadin-icon icon="font-awesome-solid:xmark" slot="prefix"></vaadin-icon>Remove
                    </vaadin-button>
                </div>` : ''}
            <vaadin-horizontal-layout theme="spacing wrap" class="buttons">
                <vaadin-button id="send" theme="primary" @click=${this._send}
                               ?disabled=${this._streaming || this._choices.length === 0}>
                    <vaadin-icon icon="font-awesome-solid:paper-plane" slot="prefix"></vaadin-icon>Send
                </vaadin-button>
                <vaadin-button id="stop" @click=${this._stop} ?disabled=${!this._streaming}>
                    <vaadin-icon icon="font-awesome-solid:stop" slot="prefix"></vaadin-icon>Stop
                </vaadin-button>
                <vaadin-button id="attach" theme="tertiary" ?disabled=${!vision}
                               title="${vision ? 'Attach an image to the message'
                                   : 'This model reads no image: it has no multimodal projector'}"
                               @click=${() => this.renderRoot.querySelector('#image-file').click()}>
                    <vaadin-icon icon="font-awesome-solid:image" slot="prefix"></vaadin-icon>Image
                </vaadin-button>
                <input id="image-file" type="file" accept="image/*" hidden @change=${this._picked}>
                <span id="stats">${this._stats}</span>
            </vaadin-horizontal-layout>
            <div id="error">${this._error}</div>`;
    }

    /** The chosen model, or the base model of the chosen adapter. */
    _base() {
        return this._choices.find(c => c.value === this._model)?.base;
    }

    _vision() {
        return this._base()?.capabilities.includes('vision') ?? false;
    }

    _number(id, parse) {
        const v = this.renderRoot.querySelector(id).value;
        return v === '' || v == null ? null : parse(v);
    }

    _keydown(e) {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !this._streaming && this._choices.length > 0) {
            e.preventDefault();
            this._send();
        }
    }

    _paste(e) {
        const file = [...(e.clipboardData?.files ?? [])].find(f => f.type.startsWith('image/'));
        if (file && this._vision()) {
            e.preventDefault();
            this._read(file);
        }
    }

    _picked(e) {
        const file = e.target.files?.[0];
        e.target.value = '';
        if (file) {
            this._read(file);
        }
    }

    _removeImage() {
        this._image = null;
    }

    /** Reads the file into a data URI, scaled down or converted when it is too big or of a format llama-server reads not. */
    _read(file) {
        this._error = '';
        const reader = new FileReader();
        reader.onerror = () => this._error = `could not read ${file.name}: ${reader.error}`;
        reader.onload = () => {
            const dataUri = reader.result;
            if (QwcRocmChat.READABLE.includes(file.type) && dataUri.length <= QwcRocmChat.MAX_IMAGE_CHARS) {
                this._image = { name: file.name, dataUri: dataUri, note: '' };
                return;
            }
            this._shrink(dataUri).then(smaller => {
                this._image = { name: file.name, dataUri: smaller.dataUri,
                    note: `, scaled to ${smaller.width} x ${smaller.height} to fit the Dev UI's websocket` };
            }).catch(() => this._error = `${file.name} is not an image the browser can read`);
        };
        reader.readAsDataURL(file);
    }

    /** The image as a JPEG data URI of at most MAX_IMAGE_CHARS characters, its size halved until it fits. */
    _shrink(dataUri) {
        return new Promise((resolve, reject) => {
            const img = new Image();
            img.onerror = reject;
            img.onload = () => {
                let scale = Math.min(1, 1024 / Math.max(img.naturalWidth, img.naturalHeight, 1));
                for (let i = 0; i < 12; i++) {
                    const width = Math.max(1, Math.round(img.naturalWidth * scale));
                    const height = Math.max(1, Math.round(img.naturalHeight * scale));
                    const canvas = document.createElement('canvas');
                    canvas.width = width;
                    canvas.height = height;
                    const g = canvas.getContext('2d');
                    g.fillStyle = '#fff'; // JPEG has no transparency
                    g.fillRect(0, 0, width, height);
                    g.drawImage(img, 0, 0, width, height);
                    const quality = i < 2 ? 0.85 : 0.7;
                    const out = canvas.toDataURL('image/jpeg', quality);
                    if (out.length <= QwcRocmChat.MAX_IMAGE_CHARS || (width <= 32 && height <= 32)) {
                        resolve({ dataUri: out, width: width, height: height });
                        return;
                    }
                    scale *= i < 2 ? 0.85 : 0.7;
                }
                reject(new Error('too big'));
            };
            img.src = dataUri;
        });
    }

    _send() {
        const name = this.renderRoot.querySelector('#model').value || this._model;
        const choice = this._choices.find(c => c.value === name);
        const params = {
            name: name,
            system: this.renderRoot.querySelector('#system').value,
            message: this.renderRoot.querySelector('#message').value,
            temperature: this._number('#temperature', parseFloat),
            maxTokens: this._number('#max-tokens', v => parseInt(v, 10)),
            image: this._image ? this._image.dataUri : null
        };
        this._stop();
        this._error = '';
        if (JSON.stringify(params).length > QwcRocmChat.MAX_CALL_CHARS) {
            this._stats = '';
            this._error = 'The message, system prompt and image are too long for one call over the Dev UI\'s websocket'
                + ' (frames of 64 kB unless quarkus.http.websocket-server.max-frame-size says otherwise).';
            return;
        }
        this._items = [
            { text: params.message, userName: this._image ? `You (with ${this._image.name})` : 'You',
              userColorIndex: 1, className: 'user' },
            { text: '', userName: choice ? choice.label : params.name, userColorIndex: 3, className: 'answer' }
        ];
        this._stats = 'waiting for the first token...';
        this._streaming = true;
        this._observer = this.jsonRpc.chat(params)
            .onNext(response => this._event(response.result))
            .onError(response => this._event({ type: 'error',
                text: response?.error?.message ?? JSON.stringify(response?.error ?? response) }));
    }

    /** Appends to the text of the answer, the last item, replacing it so that the message list renders it again. */
    _answer(text) {
        const items = [...this._items];
        const last = items.length - 1;
        if (last >= 0) {
            items[last] = { ...items[last], text: items[last].text + text };
            this._items = items;
        }
    }

    _event(e) {
        if (e.type === 'token') {
            this._answer(e.text);
            this._stats = 'streaming...';
        } else if (e.type === 'done') {
            this._streaming = false;
            const rate = e.tokensPerSecond == null ? '-' : e.tokensPerSecond.toFixed(0);
            const server = e.serverTokensPerSecond == null ? '-' : e.serverTokensPerSecond.toFixed(0);
            this._stats = `time to first token ${e.ttftMillis.toFixed(1)} ms · ${rate} tokens/s`
                + ` (llama-server: ${server} tokens/s) · ${e.tokens ?? '?'} tokens · ${e.finishReason ?? ''}`
                + (e.draftAcceptance == null ? '' : ` · ${Math.round(e.draftAcceptance * 100)}% of drafted tokens accepted`);
        } else {
            this._streaming = false;
            this._stats = '';
            this._error = e.text;
        }
    }

    _stop() {
        if (this._observer) {
            this._observer.cancel();
            this._observer = null;
        }
        this._streaming = false;
    }
}
customElements.define('qwc-rocm-chat', QwcRocmChat);
