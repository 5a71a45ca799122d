/**
 * The operators' desk (issue 16), served at `/ops` as /ops.js: plain DOM and Chart.js, no framework.
 * Everything the server sends is rendered as text, never as HTML.
 */
import { DeskApp } from './app.js';

const mount = document.getElementById('app');
if (mount) new DeskApp(mount);
