#include <hiredis/hiredis.h>
#include <sys/socket.h>
