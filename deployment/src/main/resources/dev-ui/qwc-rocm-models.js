import { LitElement, html, css } from 'lit';
import { JsonRpc } from 'jsonrpc';
import '@vaadin/grid';
import '@vaadin/grid/vaadin-grid-column.js';
import { columnBodyRenderer, gridRowDetailsRenderer } from '@vaadin/grid/lit.js';
import '@vaadin/button';
import '@vaadin/text-field';
import '@vaadin/progress-bar';
import '@vaadin/icon';
import '@vaadin/horizontal-layout';
import '@qomponent/qui-badge';

/**
 * Every model's llama-server, live: state (with a progress bar while its file is pulled), process, context, restarts,
 * VRAM, LoRA adapters and multimodal projector, saved prompt caches (.saved-caches, deleted by .drop-caches), GGUF
 * metadata, command line; the model cache with its files' sizes, and
 * a pull of a model by name into it.
 *
 * Hooks for DevUiBrowserTest (the grids render their cells into their own light DOM, so these are found from this
 * element's shadow root): each model's cells are div#model-ALIAS (with data-state), div#state-ALIAS (the state, the
 * download's vaadin-progress-bar.download and the reason) and div#actions-ALIAS (vaadin-button.restart, .load or
 * .unload); the pull is #pull-reference, #pull and #pull-message; the cache is the vaadin-grid#cache.
 */
export class QwcRocmModels extends LitElement {

    jsonRpc = new JsonRpc(this);

    static styles = css`
        :host { display: flex; flex-direction: column; gap: var(--lumo-space-s); padding: var(--lumo-space-m); }
        vaadin-grid { flex: none; }
        .muted, .reason { color: var(--lumo-secondary-text-color); font-size: var(--lumo-font-size-s); }
        .name { font-weight: bold; }
        .badges { display: flex; flex-wrap: wrap; gap: var(--lumo-space-xs); margin: var(--lumo-space-xs) 0; }
        .extra { font-size: var(--lumo-font-size-s); }
        .extra .label { color: var(--lumo-secondary-text-color); }
        vaadin-progress-bar.download { width: 10em; margin: var(--lumo-space-xs) 0; }
        .listens { word-break: break-all; }
        .actions { display: flex; gap: var(--lumo-space-xs); align-items: center; }
        .details { padding: var(--lumo-space-s) var(--lumo-space-m); display: flex; flex-direction: column;
                   gap: var(--lumo-space-s); }
        .details h4 { margin: 0; font-size: var(--lumo-font-size-s); color: var(--lumo-secondary-text-color);
                      font-weight: normal; }
        pre { white-space: pre-wrap; word-break: break-all; font-size: var(--lumo-font-size-xs); margin: 0;
              font-family: var(--lumo-font-family-monospace, monospace); }
        pre.command { padding: var(--lumo-space-s); background: var(--lumo-contrast-5pct);
                      border-radius: var(--lumo-border-radius-m); }
        .gguf { display: grid; grid-template-columns: max-content 1fr; column-gap: var(--lumo-space-m);
                row-gap: 2px; font-size: var(--lumo-font-size-s); }
        .gguf .key { color: var(--lumo-secondary-text-color); }
        h3 { margin: var(--lumo-space-l) 0 0 0; font-size: var(--lumo-font-size-l); }
        .pull { align-items: baseline; }
        #pull-reference { width: 32em; max-width: 100%; }
        vaadin-progress-bar.pulling { width: 10em; }
    `;

    static properties = {
        _models: { state: true },
        _messages: { state: true },
        _opened: { state: true },
        _cache: { state: true },
        _pullMessage: { state: true },
        _pulling: { state: true }
    };

    constructor() {
        super();
        this._models = null;
        this._messages = {};
        this._opened = new Set();
        this._cache = [];
        this._pullMessage = '';
        this._pulling = false;
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
            <vaadin-grid id="models" .items=${this._models} item-id-path="name" all-rows-visible
                         theme="row-stripes wrap-cell-content"
                         .detailsOpenedItems=${this._models.filter(m => this._opened.has(m.name))}
                         ${gridRowDetailsRenderer(m => this._details(m), [])}>
                <vaadin-grid-column header="Model" width="16em" flex-grow="3" resizable
                                    ${columnBodyRenderer(m => this._model(m), [this._opened])}></vaadin-grid-column>
                <vaadin-grid-column header="State" width="10em" flex-grow="2" resizable
                                    ${columnBodyRenderer(m => this._state(m), [])}></vaadin-grid-column>
                <vaadin-grid-column header="PID" auto-width flex-grow="0"
                                    ${columnBodyRenderer(m => html`${m.pid ?? '-'}`, [])}></vaadin-grid-column>
                <vaadin-grid-column header="Listens on" width="12em" flex-grow="1" resizable
                                    ${columnBodyRenderer(m => html`<span class="reason listens">${m.listensOn ?? '-'}</span>`, [])}></vaadin-grid-column>
                <vaadin-grid-column header="Context x slots" auto-width flex-grow="0"
                                    ${columnBodyRenderer(m => html`${m.contextSize} x ${m.parallel}`, [])}></vaadin-grid-column>
                <vaadin-grid-column header="Restarts" auto-width flex-grow="0"
                                    ${columnBodyRenderer(m => html`${m.restarts}`, [])}></vaadin-grid-column>
                <vaadin-grid-column header="Last exit" flex-grow="1" resizable
                                    ${columnBodyRenderer(m => html`<span class="reason">${m.lastExit ?? '-'}</span>`, [])}></vaadin-grid-column>
                <vaadin-grid-column header="VRAM" flex-grow="1" resizable
                                    ${columnBodyRenderer(m => this._vram(m), [])}></vaadin-grid-column>
                <vaadin-grid-column header="" auto-width flex-grow="0"
                                    ${columnBodyRenderer(m => this._actions(m), [this._messages])}></vaadin-grid-column>
            </vaadin-grid>

            <h3>Model cache</h3>
            <vaadin-horizontal-layout theme="spacing wrap" class="pull">
                <vaadin-text-field id="pull-reference" clear-button-visible
                                   placeholder="owner/repo:QUANT, e.g. ggml-org/gemma-3-4b-it-GGUF:Q4_K_M"
                                   @keydown=${e => e.key === 'Enter' && this._pull()}></vaadin-text-field>
                <vaadin-button id="pull" theme="primary" ?disabled=${this._pulling} @click=${() => this._pull()}>
                    <vaadin-icon icon="font-awesome-solid:download" slot="prefix"></vaadin-icon>Pull
                </vaadin-button>
                ${this._pulling ? html`<vaadin-progress-bar class="pulling" indeterminate></vaadin-progress-bar>` : ''}
            </vaadin-horizontal-layout>
            <div id="pull-message" class="reason">${this._pullMessage}</div>
            <vaadin-grid id="cache" .items=${this._cache} all-rows-visible theme="row-stripes compact">
                <vaadin-grid-column path="repo" header="Repository" auto-width resizable></vaadin-grid-column>
                <vaadin-grid-column path="path" header="File" auto-width resizable></vaadin-grid-column>
                <vaadin-grid-column path="size" header="Size" auto-width flex-grow="0"></vaadin-grid-column>
                <vaadin-grid-column header="Commit" auto-width
                                    ${columnBodyRenderer(f => html`<span class="muted">${f.commit}</span>`, [])}></vaadin-grid-column>
                <span slot="empty-state" class="muted">The cache holds no model file yet.</span>
            </vaadin-grid>`;
    }

    _pull() {
        const reference = this.shadowRoot.getElementById('pull-reference').value.trim();
        if (!reference || this._pulling) {
            return;
        }
        this._pullMessage = `pulling ${reference}...`;
        this._pulling = true;
        this.jsonRpc.pull({ reference: reference }).then(response => {
            this._pullMessage = response.result;
            this._loadCache();
        }).catch(e => {
            this._pullMessage = e?.error?.message ?? String(e);
        }).finally(() => this._pulling = false);
    }

    /** The model cell: its name, capabilities, server, LoRA adapters and projector, and the details' toggle. */
    _model(m) {
        const opened = this._opened.has(m.name);
        const adapters = m.adapters ?? [];
        return html`
            <div class="model" id="model-${m.alias}" data-state="${m.state}">
                <span class="name">${m.alias}</span>
                <div class="badges capabilities">
                    ${m.capabilities.map(c => html`<qui-badge small pill class="capability">${c}</qui-badge>`)}
                </div>
                <div class="muted">${m.summary}</div>
                ${adapters.length > 0 ? html`
                    <div class="extra adapters"><span class="label">LoRA adapters:</span>
                        ${adapters.map((a, i) => html`${i > 0 ? ', ' : ''}<span class="adapter" title="${a.file ?? ''}"
                            >${a.name} (scale ${a.scale})</span>`)}
                    </div>` : ''}
                ${m.projector ? html`
                    <div class="extra projector"><span class="label">Projector:</span>
                        <span title="${m.projector}">${this._fileName(m.projector)}</span></div>` : ''}
                ${m.savedCaches ? this._savedCaches(m) : ''}
                <vaadin-button theme="tertiary small" class="toggle-details" @click=${() => this._toggle(m)}
                               title="GGUF metadata and llama-server command line">
                    <vaadin-icon icon="font-awesome-solid:${opened ? 'caret-down' : 'caret-right'}" slot="prefix"></vaadin-icon>
                    ${opened ? 'Hide details' : 'Details'}
                </vaadin-button>
            </div>`;
    }

    /** Its prompt caches saved while it is not loaded (kv-cache.hibernate), with the button that deletes them. */
    _savedCaches(m) {
        const c = m.savedCaches;
        const slots = Object.entries(c.slots);
        const tokens = slots.reduce((sum, [, n]) => sum + n, 0);
        return html`
            <div class="extra saved-caches" id="saved-caches-${m.alias}"><span class="label">Saved prompt caches:</span>
                <span class="saved" title="${c.dir}">${c.refused ? `not saved: ${c.refused}`
                    : slots.length === 0 ? 'none'
                    : `${slots.length} cache(s), ${tokens} tokens, ${(c.bytes / 1024).toFixed(0)} KiB`}</span>
                <span class="muted">(${c.saves} saved, ${c.restores} restored, ${c.tokensRestored} tokens spared)</span>
                ${slots.length > 0 ? html`<vaadin-button theme="tertiary small" class="drop-caches"
                        @click=${() => this._dropCaches(m)}>
                        <vaadin-icon icon="font-awesome-solid:trash" slot="prefix"></vaadin-icon>Delete</vaadin-button>` : ''}
            </div>`;
    }

    _dropCaches(m) {
        this.jsonRpc.dropCaches({ name: m.name }).then(response => {
            this._messages = { ...this._messages, [m.name]: response.result };
            return this.jsonRpc.getModels();
        }).then(response => this._models = response.result);
    }

    _state(m) {
        return html`
            <div class="state-cell" id="state-${m.alias}">
                <qui-badge small level="${this._level(m.state)}" class="state ${m.state}"><span>${m.state}</span></qui-badge>
                ${m.downloadPercent != null
                    ? html`<vaadin-progress-bar class="download" min="0" max="100"
                                ?indeterminate=${m.downloadPercent < 0}
                                .value=${Math.max(0, m.downloadPercent)}></vaadin-progress-bar>`
                    : ''}
                <div class="reason">${m.reason}</div>
                <div class="reason scheduled">${m.scheduled.toLowerCase()}${m.pinned ? ', pinned' : ''}${m.busy > 0 ? `, serving ${m.busy}` : ''}${m.unloadInSeconds != null ? `, unloads in ${m.unloadInSeconds} s` : ''}</div>
            </div>`;
    }

    _actions(m) {
        return html`
            <div class="actions" id="actions-${m.alias}">
                <vaadin-button theme="small" class="restart" @click=${() => this._restart(m)}>
                    <vaadin-icon icon="font-awesome-solid:rotate-right" slot="prefix"></vaadin-icon>Restart
                </vaadin-button>
                ${m.scheduled === 'LOADED'
                    ? html`<vaadin-button theme="small" class="unload" @click=${() => this._act(m, 'unload')}>
                            <vaadin-icon icon="font-awesome-solid:eject" slot="prefix"></vaadin-icon>Unload</vaadin-button>`
                    : html`<vaadin-button theme="small primary" class="load" @click=${() => this._act(m, 'load')}>
                            <vaadin-icon icon="font-awesome-solid:play" slot="prefix"></vaadin-icon>Load</vaadin-button>`}
            </div>
            <div class="reason message">${this._messages[m.name] ?? ''}</div>`;
    }

    /** The row's details: the llama-server command line and the GGUF metadata. */
    _details(m) {
        return html`
            <div class="details">
                <h4>llama-server command line</h4>
                <pre class="command">${m.commandLine.join(' ')}</pre>
                <h4>GGUF metadata</h4>
                <div class="gguf">
                    ${Object.entries(m.gguf).map(([k, v]) => html`<span class="key">${k}</span><pre>${this._value(v)}</pre>`)}
                </div>
            </div>`;
    }

    _toggle(m) {
        const opened = new Set(this._opened);
        if (!opened.delete(m.name)) {
            opened.add(m.name);
        }
        this._opened = opened;
    }

    _level(state) {
        switch (state) {
            case 'READY': return 'success';
            case 'FAILED': return 'error';
            case 'STARTING':
            case 'RESTARTING':
            case 'STOPPING': return 'warning';
            default: return 'contrast';
        }
    }

    _vram(m) {
        if (m.gpus.length === 0) {
            return html`<span class="muted">no AMD GPU</span>`;
        }
        return html`${m.gpus.map(g => html`<div>${g.card} (${g.gfxTarget}): ${this._gib(g.vramUsed)} / ${this._gib(g.vramTotal)} GiB</div>`)}`;
    }

    _gib(bytes) {
        return (bytes / (1024 * 1024 * 1024)).toFixed(1);
    }

    _fileName(path) {
        return String(path).split(/[\\/]/).pop();
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
