/**
 * The hotline agents' console, served at `/agent` (page.ts) as /console.js: plain DOM, no framework.
 * Everything the server or a user sends is rendered as text, never as HTML.
 */
import { ConsoleApp } from './app.js';

const mount = document.getElementById('app');
if (mount) new ConsoleApp(mount);
