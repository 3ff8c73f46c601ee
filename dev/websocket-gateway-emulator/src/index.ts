export {
  startWebSocketGatewayEmulator,
  type WebSocketGatewayEmulator,
  type WebSocketGatewayEmulatorOptions,
} from './websocket-gateway-emulator.js';
