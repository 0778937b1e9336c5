/* messageproperties.h - well-known message property names used by SDK modules. */
#ifndef MESSAGEPROPERTIES_H
#define MESSAGEPROPERTIES_H

#define GW_SOURCE_PROPERTY "source"
#define GW_MAC_ADDRESS_PROPERTY "macAddress"
#define GW_DEVICENAME_PROPERTY "deviceName"
#define GW_DEVICEKEY_PROPERTY "deviceKey"
#define GW_IDMAP_MODULE "mapping"
#define GW_SOURCE_BLE_TELEMETRY "bleTelemetry"
#define GW_SOURCE_BLE_COMMAND "bleCommand"
#define GW_TIMESTAMP_PROPERTY "timestamp"
#define GW_CHARACTERISTIC_UUID_PROPERTY "characteristicUuid"

#endif /* MESSAGEPROPERTIES_H */
