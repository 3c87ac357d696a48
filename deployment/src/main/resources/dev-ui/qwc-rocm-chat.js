import { LitElement, html, css } from 'lit';
import { JsonRpc } from 'jsonrpc';

/** A playground that streams an answer from a chosen model, with its time to first token and tokens per second. */
export class QwcRocmChat extends LitElement {

    jsonRpc = new JsonRpc(this);

    static styles = css`
        :host { display: flex; flex-direction: column; gap: var(--lumo-space-s); padding: var(--lumo-space-m); }
        .row { display: flex; gap: var(--lumo-space-m); align-items: center; flex-wrap: wrap; }
        label { color: var(--lumo-secondary-text-color); font-size: var(--lumo-font-size-s); }
        textarea { width: 100%; font-family: inherit; }
        #answer { white-space: pre-wrap; min-height: 4em; padding: var(--lumo-space-s);
                  background: var(--lumo-contrast-5pct); border-radius: var(--lumo-border-radius-m); }
        #stats { color: var(--lumo-secondary-text-color); font-size: var(--lumo-font-size-s); }
        .error { color: var(--lumo-error-text-color); }
    `;

    static properties = {
        _models: { state: true },
        _answer: { state: true },
        _stats: { state: true },
        _error: { state: true },
        _streaming: { state: true }
    };

    constructor() {
        super();
        this._models = [];
        this._answer = '';
        this._stats = '';
        this._error = '';
        this._streaming = false;
    }

    connectedCallback() {
        super.connectedCallback();
        this.jsonRpc.getModels().then(response => {
            this._models = response.result.filter(m => !m.embeddings);
        });
    }

    disconnectedCallback() {
        this._stop();
        super.disconnectedCallback();
    }

    render() {
        return html`
            <div class="row">
                <label>Model <select id="model">
                    ${this._models.map(m => html`<option value="${m.name}">${m.alias}</option>`)}
                </select></label>
                <label>Temperature <input id="temperature" type="number" min="0" max="2" step="0.1" placeholder="model's"></label>
                <label>Max tokens <input id="max-tokens" type="number" min="1" placeholder="model's"></label>
            </div>
            <label>System prompt</label>
            <textarea id="system" rows="2" placeholder="You are a helpful assistant."></textarea>
            <label>Message</label>
            <textarea id="message" rows="3"></textarea>
            <div class="row">
                <button id="send" @click=${this._send} ?disabled=${this._streaming || this._models.length === 0}>Send</button>
                <button id="stop" @click=${this._stop} ?disabled=${!this._streaming}>Stop</button>
                <span id="stats">${this._stats}</span>
            </div>
            <div id="answer">${this._answer}</div>
            <div id="error" class="error">${this._error}</div>`;
    }

    _number(id, parse) {
        const v = this.renderRoot.querySelector(id).value;
        return v === '' ? null : parse(v);
    }

    _send() {
        this._stop();
        this._answer = '';
        this._stats = 'waiting for the first token...';
        this._error = '';
        this._streaming = true;
        this._observer = this.jsonRpc.chat({
            name: this.renderRoot.querySelector('#model').value,
            system: this.renderRoot.querySelector('#system').value,
            message: this.renderRoot.querySelector('#message').value,
            temperature: this._number('#temperature', parseFloat),
            maxTokens: this._number('#max-tokens', v => parseInt(v, 10))
        }).onNext(response => this._event(response.result));
    }

    _event(e) {
        if (e.type === 'token') {
            this._answer += e.text;
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
