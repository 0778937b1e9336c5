/* test_abi_layout.c - the struct sizes, offsets and enum values of SPEC section 2
 * (x86-64), checked against our public headers. */
#include <stddef.h>
#include "test_util.h"
#include "module.h"
#include "broker.h"
#include "message.h"
#include "gateway.h"
#include "module_loader.h"
#include "experimental/event_system.h"
#include "azure_c_shared_utility/map.h"
#include "azure_c_shared_utility/constmap.h"
#include "azure_c_shared_utility/xlogging.h"

static void test_layouts(void)
{
    CHECK_INT(4, sizeof(MODULE_API));
    CHECK_INT(56, sizeof(MODULE_API_1));
    CHECK_INT(8, offsetof(MODULE_API_1, Module_ParseConfigurationFromJson));
    CHECK_INT(16, offsetof(MODULE_API_1, Module_FreeConfiguration));
    CHECK_INT(24, offsetof(MODULE_API_1, Module_Create));
    CHECK_INT(32, offsetof(MODULE_API_1, Module_Destroy));
    CHECK_INT(40, offsetof(MODULE_API_1, Module_Receive));
    CHECK_INT(48, offsetof(MODULE_API_1, Module_Start));
    CHECK_INT(24, sizeof(MESSAGE_CONFIG));
    CHECK_INT(8, offsetof(MESSAGE_CONFIG, source));
    CHECK_INT(16, offsetof(MESSAGE_CONFIG, sourceProperties));
    CHECK_INT(16, sizeof(MESSAGE_BUFFER_CONFIG));
    CHECK_INT(8, offsetof(MESSAGE_BUFFER_CONFIG, sourceProperties));
    CHECK_INT(16, sizeof(CONSTBUFFER));
    CHECK_INT(8, offsetof(CONSTBUFFER, size));
    CHECK_INT(72, sizeof(MODULE_LOADER_API));
    CHECK_INT(64, offsetof(MODULE_LOADER_API, FreeModuleConfiguration));
    CHECK_INT(32, sizeof(MODULE_LOADER));
    CHECK_INT(8, offsetof(MODULE_LOADER, name));
    CHECK_INT(16, offsetof(MODULE_LOADER, configuration));
    CHECK_INT(24, offsetof(MODULE_LOADER, api));
    CHECK_INT(32, sizeof(GATEWAY_MODULES_ENTRY));
    CHECK_INT(8, offsetof(GATEWAY_MODULES_ENTRY, module_loader_info));
    CHECK_INT(24, offsetof(GATEWAY_MODULES_ENTRY, module_configuration));
    CHECK_INT(16, sizeof(GATEWAY_LINK_ENTRY));
    CHECK_INT(8, offsetof(GATEWAY_LINK_ENTRY, module_sink));
    CHECK_INT(16, sizeof(GATEWAY_PROPERTIES));
    CHECK_INT(8, offsetof(GATEWAY_PROPERTIES, gateway_links));
}

static void test_enums(void)
{
    CHECK_INT(0, MODULE_API_VERSION_1);
    CHECK_INT(0, BROKER_OK);
    CHECK_INT(1, BROKER_ERROR);
    CHECK_INT(2, BROKER_ADD_LINK_ERROR);
    CHECK_INT(3, BROKER_REMOVE_LINK_ERROR);
    CHECK_INT(4, BROKER_INVALIDARG);
    CHECK_INT(0, MAP_OK);
    CHECK_INT(1, MAP_ERROR);
    CHECK_INT(2, MAP_INVALIDARG);
    CHECK_INT(3, MAP_KEYEXISTS);
    CHECK_INT(4, MAP_KEYNOTFOUND);
    CHECK_INT(5, MAP_FILTER_REJECT);
    CHECK_INT(0, CONSTMAP_OK);
    CHECK_INT(1, CONSTMAP_ERROR);
    CHECK_INT(2, CONSTMAP_INVALIDARG);
    CHECK_INT(3, CONSTMAP_KEYNOTFOUND);
    CHECK_INT(0, UNKNOWN);
    CHECK_INT(1, NATIVE);
    CHECK_INT(2, JAVA);
    CHECK_INT(3, DOTNET);
    CHECK_INT(4, DOTNETCORE);
    CHECK_INT(5, NODEJS);
    CHECK_INT(6, OUTPROCESS);
    CHECK_INT(0, GATEWAY_CREATED);
    CHECK_INT(1, GATEWAY_STARTED);
    CHECK_INT(2, GATEWAY_MODULE_LIST_CHANGED);
    CHECK_INT(3, GATEWAY_DESTROYED);
    CHECK_INT(0, AZ_LOG_ERROR);
    CHECK_INT(1, AZ_LOG_INFO);
    CHECK_INT(2, AZ_LOG_TRACE);
    CHECK_INT(4, sizeof(BROKER_RESULT));
    CHECK_INT(4, sizeof(MODULE_LOADER_TYPE));
}

int main(void)
{
    TEST_RUN(test_layouts);
    TEST_RUN(test_enums);
    return test_summary("test_abi_layout");
}
