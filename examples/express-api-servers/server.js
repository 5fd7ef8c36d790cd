// Serve the example: NODE_PATH=build/bindings/node node examples/express-api-servers/server.js [PORT]
'use strict';

const { createApp } = require('./app');

const port = Number(process.argv[2] || process.env.PORT || 3000);
createApp().listen(port, '127.0.0.1', () => console.log(`api-servers example on http://127.0.0.1:${port}`));
