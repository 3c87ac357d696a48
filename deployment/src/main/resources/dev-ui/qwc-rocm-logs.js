import { LitElement, html, css } from 'lit';
import { JsonRpc } from 'jsonrpc';

/** The last lines of each model's llama-server output (across its restarts), followed as they are written. */
export class QwcRocmLogs extends LitElement {

    jsonRpc = new JsonRpc(this);

    static styles = css`
        :host { display: flex; flex-direction: column; gap: var(--lumo-space-s); padding: var(--lumo-space-m); height: 100%; }
        pre { flex: 1; overflow: auto; margin: 0; padding: var(--lumo-space-s); font-size: var(--lumo-font-size-xs);
              background: var(--lumo-contrast-5pct); border-radius: var(--lumo-border-radius-m); }
        label { color: var(--lumo-secondary-text-color); font-size: var(--lumo-font-size-s); }
    `;

    static properties = {
        _models: { state: true },
        _lines: { state: true }
    };

    static MAX_LINES = 500;

    constructor() {
        super();
        this._models = [];
        this._lines = [];
    }

    connectedCallback() {
        super.connectedCallback();
        this.jsonRpc.getModels().then(response => {
            this._models = response.result;
            if (this._models.length > 0) {
                this._follow(this._models[0].name);
            }
        });
    }

    disconnectedCallback() {
        this._unfollow();
        super.disconnectedCallback();
    }

    render() {
        return html`
            <label>Model <select id="model" @change=${e => this._follow(e.target.value)}>
                ${this._models.map(m => html`<option value="${m.name}">${m.alias}</option>`)}
            </select></label>
            <pre id="log">${this._lines.join('\n')}</pre>`;
    }

    _follow(name) {
        this._unfollow();
        this.jsonRpc.getLogs({ name: name }).then(response => {
            this._lines = response.result;
            this._observer = this.jsonRpc.streamLogs({ name: name }).onNext(line => {
                const lines = [...this._lines, line.result];
                this._lines = lines.slice(Math.max(0, lines.length - QwcRocmLogs.MAX_LINES));
            });
        });
    }

    _unfollow() {
        if (this._observer) {
            this._observer.cancel();
            this._observer = null;
        }
    }
}
customElements.define('qwc-rocm-logs', QwcRocmLogs);
