import { LitElement, html, css } from 'lit';
import { JsonRpc } from 'jsonrpc';

/**
 * Every model's llama-server, live: state (with a progress bar while its file is pulled), process, context, restarts,
 * VRAM, GGUF metadata, command line; the model cache with its files' sizes, and a pull of a model by name into it.
 */
export class QwcRocmModels extends LitElement {

    jsonRpc = new JsonRpc(this);

    static styles = css`
        :host { display: block; padding: var(--lumo-space-m); }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: var(--lumo-space-xs) var(--lumo-space-s); vertical-align: top;
                 border-bottom: 1px solid var(--lumo-contrast-10pct); }
        th { color: var(--lumo-secondary-text-color); font-weight: normal; }
        .state { font-weight: bold; padding: 0 var(--lumo-space-xs); border-radius: var(--lumo-border-radius-s); }
        .READY { color: var(--lumo-success-text-color); background: var(--lumo-success-color-10pct); }
        .STARTING, .RESTARTING, .STOPPING { color: var(--lumo-warning-text-color, orange); }
        .FAILED { color: var(--lumo-error-text-color); background: var(--lumo-error-color-10pct); }
        .reason, .muted { color: var(--lumo-secondary-text-color); font-size: var(--lumo-font-size-s); }
        pre { white-space: pre-wrap; word-break: break-all; font-size: var(--lumo-font-size-xs); margin: 0; }
        details table td { border: none; padding: 0 var(--lumo-space-s); font-size: var(--lumo-font-size-s); }
        button { cursor: pointer; }
        progress { width: 10em; }
        .capability { font-size: var(--lumo-font-size-xs); padding: 0 var(--lumo-space-xs);
                      border-radius: var(--lumo-border-radius-s); background: var(--lumo-contrast-10pct); }
        h3 { margin: var(--lumo-space-l) 0 var(--lumo-space-s) 0; font-size: var(--lumo-font-size-l); }
        input { width: 28em; }
    `;

    static properties = {
        _models: { state: true },
        _messages: { state: true },
        _cache: { state: true },
        _pullMessage: { state: true }
    };

    constructor() {
        super();
        this._models = null;
        this._messages = {};
        this._cache = [];
        this._pullMessage = '';
    }

    connectedCallback() {
        super.connectedCallback();
        this._observer = this.jsonRpc.streamModels().onNext(response => this._models = response.result);
        this._loadCache();
    }

    _loadCache() {
        this.jsonRpc.getCache().then(response => this._cache = response.result);
    }

    disconnectedCallback() {
        if (this._observer) {
            this._observer.cancel();
        }
        super.disconnectedCallback();
    }

    render() {
        if (!this._models) {
            return html`<span class="muted">Loading the models...</span>`;
        }
        return html`
            <table id="models">
                <tr><th>Model</th><th>State</th><th>PID</th><th>Listens on</th><th>Context x slots</th><th>Restarts</th>
                    <th>Last exit</th><th>VRAM</th><th></th></tr>
                ${this._models.map(m => this._row(m))}
            </table>
            <h3>Model cache</h3>
            <div>
                <input id="pull-reference" placeholder="owner/repo:QUANT, e.g. ggml-org/gemma-3-4b-it-GGUF:Q4_K_M"
                       @keydown=${e => e.key === 'Enter' && this._pull()}>
                <button id="pull" @click=${() => this._pull()}>Pull</button>
                <div id="pull-message" class="reason">${this._pullMessage}</div>
            </div>
            <table id="cache">
                <tr><th>Repository</th><th>File</th><th>Size</th><th>Commit</th></tr>
                ${this._cache.map(f => html`<tr class="cached"><td>${f.repo}</td><td>${f.path}</td><td>${f.size}</td>
                    <td class="muted">${f.commit}</td></tr>`)}
            </table>`;
    }

    _pull() {
        const reference = this.shadowRoot.getElementById('pull-reference').value.trim();
        if (!reference) {
            return;
        }
        this._pullMessage = `pulling ${reference}...`;
        this.jsonRpc.pull({ reference: reference }).then(response => {
            this._pullMessage = response.result;
            this._loadCache();
        });
    }

    _row(m) {
        return html`
            <tr id="model-${m.alias}" data-state="${m.state}">
                <td><b>${m.alias}</b>
                    <div class="capabilities">${m.capabilities.map(c => html`<span class="capability">${c}</span> `)}</div>
                    <div class="muted">${m.summary}</div></td>
                <td><span class="state ${m.state}">${m.state}</span>
                    ${m.downloadPercent != null
                        ? html`<div><progress class="download" max="100" value="${Math.max(0, m.downloadPercent)}"></progress></div>`
                        : ''}
                    <div class="reason">${m.reason}</div>
                    <div class="reason scheduled">${m.scheduled.toLowerCase()}${m.pinned ? ', pinned' : ''}${m.busy > 0 ? `, serving ${m.busy}` : ''}${m.unloadInSeconds != null ? `, unloads in ${m.unloadInSeconds} s` : ''}</div></td>
                <td>${m.pid ?? '-'}</td>
                <td class="reason">${m.listensOn ?? '-'}</td>
                <td>${m.contextSize} x ${m.parallel}</td>
                <td>${m.restarts}</td>
                <td class="reason">${m.lastExit ?? '-'}</td>
                <td>${this._vram(m)}</td>
                <td><button class="restart" @click=${() => this._restart(m)}>Restart</button>
                    ${m.scheduled === 'LOADED'
                        ? html`<button class="unload" @click=${() => this._act(m, 'unload')}>Unload</button>`
                        : html`<button class="load" @click=${() => this._act(m, 'load')}>Load</button>`}
                    <div class="reason">${this._messages[m.name] ?? ''}</div></td>
            </tr>
            <tr><td colspan="9">
                <details>
                    <summary class="muted">GGUF metadata and llama-server command line</summary>
                    <pre class="command">${m.commandLine.join(' ')}</pre>
                    <table class="gguf">
                        ${Object.entries(m.gguf).map(([k, v]) => html`<tr><td>${k}</td><td><pre>${this._value(v)}</pre></td></tr>`)}
                    </table>
                </details>
            </td></tr>`;
    }

    _vram(m) {
        if (m.gpus.length === 0) {
            return html`<span class="muted">no AMD GPU</span>`;
        }
        return m.gpus.map(g => html`<div>${g.card} (${g.gfxTarget}): ${this._gib(g.vramUsed)} / ${this._gib(g.vramTotal)} GiB</div>`);
    }

    _gib(bytes) {
        return (bytes / (1024 * 1024 * 1024)).toFixed(1);
    }

    _value(v) {
        return typeof v === 'object' ? JSON.stringify(v) : String(v);
    }

    _act(m, action) {
        this._messages = { ...this._messages, [m.name]: action === 'load' ? 'loading...' : 'unloading...' };
        this.jsonRpc[action]({ name: m.name }).then(response => {
            this._messages = { ...this._messages, [m.name]: response.result };
        });
    }

    _restart(m) {
        this._messages = { ...this._messages, [m.name]: 'restarting...' };
        this.jsonRpc.restart({ name: m.name }).then(response => {
            this._messages = { ...this._messages, [m.name]: response.result };
        });
    }
}
customElements.define('qwc-rocm-models', QwcRocmModels);
