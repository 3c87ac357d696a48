import { LitElement, html, css } from 'lit';
import { JsonRpc } from 'jsonrpc';
import '@vaadin/select';

/** The last lines of each model's llama-server output (across its restarts), followed as they are written. */
export class QwcRocmLogs extends LitElement {

    jsonRpc = new JsonRpc(this);

    static styles = css`
        :host { display: flex; flex-direction: column; gap: var(--lumo-space-s); padding: var(--lumo-space-m);
                height: 100%; box-sizing: border-box; }
        #model { min-width: 18em; align-self: flex-start; }
        pre { flex: 1; overflow: auto; margin: 0; padding: var(--lumo-space-s); font-size: var(--lumo-font-size-xs);
              font-family: var(--lumo-font-family-monospace, monospace);
              background: var(--lumo-contrast-5pct); border-radius: var(--lumo-border-radius-m); }
    `;

    static properties = {
        _models: { state: true },
        _model: { state: true },
        _lines: { state: true }
    };

    static MAX_LINES = 500;

    constructor() {
        super();
        this._models = [];
        this._model = '';
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
        this._model = ''; // a getLogs still under way follows nothing
        super.disconnectedCallback();
    }

    render() {
        return html`
            <vaadin-select id="model" label="Model" .items=${this._models.map(m => ({ label: m.alias, value: m.name }))}
                           .value=${this._model} @value-changed=${e => this._follow(e.detail.value)}></vaadin-select>
            <pre id="log">${this._lines.join('\n')}</pre>`;
    }

    /** Keeps the log scrolled to its end while it was there. */
    willUpdate() {
        const log = this.renderRoot?.querySelector('#log');
        this._atEnd = !log || log.scrollHeight - log.scrollTop - log.clientHeight < 20;
    }

    updated() {
        const log = this.renderRoot.querySelector('#log');
        if (log && this._atEnd) {
            log.scrollTop = log.scrollHeight;
        }
    }

    _follow(name) {
        if (!name || name === this._model) {
            return;
        }
        this._unfollow();
        this._model = name;
        this._lines = [];
        this.jsonRpc.getLogs({ name: name }).then(response => {
            if (this._model !== name) {
                return;
            }
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
