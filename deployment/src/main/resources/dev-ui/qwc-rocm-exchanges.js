import { LitElement, html, css } from 'lit';
import { JsonRpc } from 'jsonrpc';
import '@vaadin/grid';
import '@vaadin/grid/vaadin-grid-sort-column.js';

/**
 * The last exchanges with the models (the OpenAI API's and the chat model's), the newest first, live; their requests
 * and answers too when quarkus.rocm.capture-content=true.
 */
export class QwcRocmExchanges extends LitElement {

    jsonRpc = new JsonRpc(this);

    static styles = css`
        :host { display: flex; flex-direction: column; height: 100%; padding: var(--lumo-space-s); }
        vaadin-grid { flex: 1; }
        .empty { color: var(--lumo-secondary-text-color); padding: var(--lumo-space-m); }
    `;

    static properties = {
        _rows: { state: true }
    };

    static MAX_ROWS = 200;

    constructor() {
        super();
        this._rows = [];
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
        if (this._rows.length === 0) {
            return html`<div class="empty">No exchange yet: call the API or a chat model.</div>`;
        }
        return html`
            <vaadin-grid .items=${this._rows} theme="row-stripes compact column-borders">
                <vaadin-grid-sort-column path="at" header="At" auto-width></vaadin-grid-sort-column>
                <vaadin-grid-sort-column path="endpoint" header="Endpoint" auto-width></vaadin-grid-sort-column>
                <vaadin-grid-sort-column path="model" header="Model" auto-width></vaadin-grid-sort-column>
                <vaadin-grid-sort-column path="caller" header="Caller" auto-width></vaadin-grid-sort-column>
                <vaadin-grid-sort-column path="status" header="Status" auto-width></vaadin-grid-sort-column>
                <vaadin-grid-sort-column path="promptTokens" header="Prompt tokens" auto-width></vaadin-grid-sort-column>
                <vaadin-grid-sort-column path="cachedTokens" header="Cached" auto-width></vaadin-grid-sort-column>
                <vaadin-grid-sort-column path="completionTokens" header="Completion tokens" auto-width></vaadin-grid-sort-column>
                <vaadin-grid-sort-column path="queueMs" header="Queue ms" auto-width></vaadin-grid-sort-column>
                <vaadin-grid-sort-column path="firstTokenMs" header="TTFT ms" auto-width></vaadin-grid-sort-column>
                <vaadin-grid-sort-column path="durationMs" header="Duration ms" auto-width></vaadin-grid-sort-column>
                ${this._rows.some(r => r.request) ? html`
                    <vaadin-grid-column path="request" header="Request" width="24em" resizable></vaadin-grid-column>
                    <vaadin-grid-column path="answer" header="Answer" width="24em" resizable></vaadin-grid-column>`
                    : ''}
            </vaadin-grid>`;
    }
}
customElements.define('qwc-rocm-exchanges', QwcRocmExchanges);
