// The demo's bundled value schema: an order event with the kinds of field real topics carry
// (strings, int64, double, an enum, a nested message, a repeated string, a map, a Timestamp).
export const demoTopic = "demo.orders";
export const demoSubject = `${demoTopic}-value`;
export const demoMessageName = "demo.shop.OrderPlaced";

export const demoSchemaText = `syntax = "proto3";

package demo.shop;

import "google/protobuf/timestamp.proto";

enum Channel {
  CHANNEL_UNSPECIFIED = 0;
  WEB = 1;
  MOBILE = 2;
  STORE = 3;
}

message OrderPlaced {
  string order_id = 1;
  int64 amount_cents = 2;
  string currency = 3;
  Channel channel = 4;
  Customer customer = 5;
  repeated string items = 6;
  map<string, string> attributes = 7;
  google.protobuf.Timestamp placed_at = 8;
  double shipping_weight_kg = 9;
  optional string coupon = 10;

  message Customer {
    string id = 1;
    string country = 2;
  }
}
`;
