import { LitElement, html, css } from 'lit';
import { JsonRpc } from 'jsonrpc';
import '@vaadin/grid';
import '@vaadin/grid/vaadin-grid-column.js';
import '@vaadin/grid/vaadin-grid-sort-column.js';
import { columnBodyRenderer, gridRowDetailsRenderer } from '@vaadin/grid/lit.js';
import '@qomponent/qui-badge';

/**
 * The last exchanges with the models (the OpenAI API's and the chat model's), the newest first, live; their requests
 * and answers too when quarkus.rocm.capture-content=true, shown under an exchange's row when it is clicked.
 */
export class QwcRocmExchanges extends LitElement {

    jsonRpc = new JsonRpc(this);

    static styles = css`
        :host { display: flex; flex-direction: column; height: 100%; padding: var(--lumo-space-s);
                box-sizing: border-box; }
        vaadin-grid { flex: 1; }
        .muted { color: var(--lumo-secondary-text-color); font-size: var(--lumo-font-size-s); }
        .content { display: grid; grid-template-columns: 1fr 1fr; gap: var(--lumo-space-m);
                   padding: var(--lumo-space-s) var(--lumo-space-m); }
        .note { padding: var(--lumo-space-s) var(--lumo-space-m); }
        .hint { margin-bottom: var(--lumo-space-xs); }
        .content h4 { margin: 0 0 var(--lumo-space-xs) 0; font-size: var(--lumo-font-size-s); font-weight: normal;
                      color: var(--lumo-secondary-text-color); }
        pre { white-space: pre-wrap; word-break: break-word; margin: 0; max-height: 20em; overflow: auto;
              font-size: var(--lumo-font-size-xs); font-family: var(--lumo-font-family-monospace, monospace);
              padding: var(--lumo-space-s); background: var(--lumo-contrast-5pct);
              border-radius: var(--lumo-border-radius-m); }
    `;

    static properties = {
        _rows: { state: true },
        _opened: { state: true }
    };

    static MAX_ROWS = 200;

    constructor() {
        super();
        this._rows = [];
        this._opened = null;
    }

    connectedCallback() {
        super.connectedCallback();
        this.jsonRpc.getExchanges().then(response => {
            this._rows = response.result;
            this._observer = this.jsonRpc.streamExchanges().onNext(row => {
                this._rows = [row.result, ...this._rows].slice(0, QwcRocmExchanges.MAX_ROWS);
            });
        });
    }

    disconnectedCallback() {
        if (this._observer) {
            this._observer.cancel();
        }
        super.disconnectedCallback();
    }

    render() {
        return html`
            ${this._rows.some(r => r.request || r.answer)
                ? html`<div class="hint muted">Click an exchange to see its request and answer.</div>` : ''}
            <vaadin-grid .items=${this._rows} theme="row-stripes compact column-borders"
                         .detailsOpenedItems=${this._opened && this._rows.includes(this._opened) ? [this._opened] : []}
                         @active-item-changed=${e => this._opened = e.detail.value}
                         ${gridRowDetailsRenderer(r => this._content(r), [])}>
                <vaadin-grid-sort-column path="at" header="At" auto-width></vaadin-grid-sort-column>
                <vaadin-grid-sort-column path="endpoint" header="Endpoint" auto-width></vaadin-grid-sort-column>
                <vaadin-grid-sort-column path="model" header="Model" auto-width></vaadin-grid-sort-column>
                <vaadin-grid-sort-column path="caller" header="Caller" auto-width></vaadin-grid-sort-column>
                <vaadin-grid-sort-column path="status" header="Status" auto-width
                                         ${columnBodyRenderer(r => this._status(r), [])}></vaadin-grid-sort-column>
                <vaadin-grid-sort-column path="promptTokens" header="Prompt tokens" auto-width text-align="end"></vaadin-grid-sort-column>
                <vaadin-grid-sort-column path="cachedTokens" header="Cached" auto-width text-align="end"></vaadin-grid-sort-column>
                <vaadin-grid-sort-column path="completionTokens" header="Completion tokens" auto-width text-align="end"></vaadin-grid-sort-column>
                <vaadin-grid-sort-column path="queueMs" header="Queue ms" auto-width text-align="end"></vaadin-grid-sort-column>
                <vaadin-grid-sort-column path="firstTokenMs" header="TTFT ms" auto-width text-align="end"></vaadin-grid-sort-column>
                <vaadin-grid-sort-column path="durationMs" header="Duration ms" auto-width text-align="end"></vaadin-grid-sort-column>
                <span slot="empty-state" class="muted">No exchange yet: call the API or a chat model.</span>
            </vaadin-grid>`;
    }

    _status(r) {
        return html`<qui-badge small level="${r.status >= 200 && r.status < 300 ? 'success' : 'error'}"><span>${r.status}</span></qui-badge>`;
    }

    /** The exchange's request and answer, under its row once clicked. */
    _content(r) {
        if (!r.request && !r.answer) {
            return html`<div class="note muted">The request and the answer are shown when
                quarkus.rocm.capture-content=true.</div>`;
        }
        return html`
            <div class="content">
                <div><h4>Request</h4><pre class="request">${r.request ?? ''}</pre></div>
                <div><h4>Answer</h4><pre class="answer">${r.answer ?? ''}</pre></div>
            </div>`;
    }
}
customElements.define('qwc-rocm-exchanges', QwcRocmExchanges);
