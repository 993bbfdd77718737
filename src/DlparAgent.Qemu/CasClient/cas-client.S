# DlparAgent's CAS client: a minimal big-endian ppc64 guest that SLOF boots with -kernel.
# It opens "/" and calls ibm,client-architecture-support through the Open Firmware client
# interface, as Linux's prom_init does, so that QEMU negotiates option vector 5 for real; then
# it spins. The harness reads the status block at image + 0x1000 over qtest.
#
# Entry facts (qemu-reference.md §10): loaded at 0x400000, entered at its first byte, MSR 0x2000
# (32-bit, real mode), r5 = client-interface entry; SLOF keeps r13-r31 across client calls.
# Options: --defsym DRCONF=0|1, HP_EVT=0|1, DRMEM_V2=0|1.

        .ifndef DRCONF
        .set DRCONF, 1
        .endif
        .ifndef HP_EVT
        .set HP_EVT, 1
        .endif
        .ifndef DRMEM_V2
        .set DRMEM_V2, 1
        .endif

        .set STATUS, 0x1000             # status block: own page, away from the code
        .set S_MAGIC, 0x00
        .set S_STAGE, 0x04              # 1 entered, 2 root opened, 3 CAS done, 0xdead000n failed
        .set S_ROOT, 0x08
        .set S_CATCH, 0x0c
        .set S_RESULT, 0x10
        .set S_SPIN, 0x14
        .set S_OPEN_ARGS, 0x40
        .set S_CALL_ARGS, 0x60

        .text
        .globl _start
_start:
        bcl     20, 31, here
here:   mflr    r30
        addi    r30, r30, _start - here # r30: where SLOF loaded us
        mr      r31, r5                 # r31: client-interface entry
        li      r29, STATUS
        add     r29, r29, r30           # r29: status block

        lis     r4, 0x444c              # magic "DLPC"
        ori     r4, r4, 0x5043
        stw     r4, S_MAGIC(r29)
        li      r4, 1
        stw     r4, S_STAGE(r29)

        # open("/"): [service, nargs 1, nret 1, path, ihandle]
        addi    r3, r29, S_OPEN_ARGS
        addi    r4, r30, open_name - _start
        stw     r4, 0(r3)
        li      r4, 1
        stw     r4, 4(r3)
        stw     r4, 8(r3)
        addi    r4, r30, root_path - _start
        stw     r4, 12(r3)
        li      r4, 0
        stw     r4, 16(r3)
        mtctr   r31
        bctrl
        lwz     r4, S_OPEN_ARGS + 16(r29)
        cmpwi   r4, 0
        beq     open_failed
        cmpwi   r4, -1
        beq     open_failed
        stw     r4, S_ROOT(r29)
        li      r5, 2
        stw     r5, S_STAGE(r29)

        # call-method: [service, nargs 3, nret 2, method, ihandle, vector, catch, result]
        addi    r3, r29, S_CALL_ARGS
        addi    r5, r30, call_method_name - _start
        stw     r5, 0(r3)
        li      r5, 3
        stw     r5, 4(r3)
        li      r5, 2
        stw     r5, 8(r3)
        addi    r5, r30, cas_name - _start
        stw     r5, 12(r3)
        stw     r4, 16(r3)
        addi    r5, r30, vector - _start
        stw     r5, 20(r3)
        li      r5, -1
        stw     r5, 24(r3)
        stw     r5, 28(r3)
        mtctr   r31
        bctrl
        lwz     r4, S_CALL_ARGS + 24(r29)
        lwz     r5, S_CALL_ARGS + 28(r29)
        stw     r4, S_CATCH(r29)
        stw     r5, S_RESULT(r29)
        or.     r6, r4, r5
        bne     cas_failed
        li      r4, 3
        stw     r4, S_STAGE(r29)

spin:   lwz     r4, S_SPIN(r29)
        addi    r4, r4, 1
        stw     r4, S_SPIN(r29)
        b       spin

open_failed:
        lis     r4, 0xdead
        ori     r4, r4, 1
        stw     r4, S_STAGE(r29)
        b       spin
cas_failed:
        lis     r4, 0xdead
        ori     r4, r4, 2
        stw     r4, S_STAGE(r29)
        b       spin

open_name:        .asciz "open"
root_path:        .asciz "/"
call_method_name: .asciz "call-method"
cas_name:         .asciz "ibm,client-architecture-support"

        .balign 4
vector:
        # PVR mask/value pairs: raw POWER9, then the entry that ends the list (~mask & value != 0).
        # No logical PVRs 0x0f000002-6, so the vCPU stays in raw mode.
        .long   0xffff0000, 0x004e0000
        .long   0xfffffffe, 0x0f000001
        .byte   4                       # five vectors follow, each "length - 1" then its bytes
        .byte   2, 0x00, 0xff, 0xc0     # OV1: architecture levels 2.00-2.07, 3.00, 3.1
        .byte   0, 0x00                 # OV2: nothing asked
        .byte   1, 0x00, 0xe0           # OV3
        .byte   1, 0x00, 0x0a           # OV4
        .byte   23                      # OV5: 24 bytes, numbered from 1
        .byte   0x00                    # 1
        .byte   0x20 * DRCONF           # 2: DRCONF_MEMORY
        .byte   0x00, 0x00              # 3, 4
        .byte   0xa0                    # 5: FORM1 and FORM2 affinity
        .byte   0x01 | (0x04 * HP_EVT)  # 6: HPT_RESIZE, HP_EVT
        .fill   15, 1, 0                # 7-21
        .byte   0x80 * DRMEM_V2         # 22: DRMEM_V2
        .byte   0x00, 0x00              # 23, 24: XICS, hash MMU

        # The status block is part of the image, so that SLOF reserves it with the rest.
        .org    STATUS
status_block:
        .space  0x100
